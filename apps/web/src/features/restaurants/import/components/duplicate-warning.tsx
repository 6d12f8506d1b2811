import { useQuery } from '@tanstack/react-query';
import { AlertTriangle } from 'lucide-react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useCurrentOrganisation } from '@/lib/organisation';
import { duplicateQueries } from '../api/find-duplicates';

type Props = { name?: string | null; city?: string | null; contactEmail?: string | null };

// Asked once typing pauses, not per keystroke.
const LOOKUP_DELAY_MS = 400;

/**
 * "Looks like one you already have": a restaurant of the organisation with the same email,
 * or the same name and city (find_restaurant_duplicates). A warning only: two branches of
 * a chain may share a name and city, so the form still saves.
 */
export function DuplicateWarning({ name, city, contactEmail }: Props) {
  const organisation = useCurrentOrganisation();
  const key = useDebouncedValue(
    {
      name: name?.trim() ?? '',
      city: city?.trim() ?? '',
      contact_email: contactEmail?.trim() ?? '',
    },
    LOOKUP_DELAY_MS,
  );
  const enabled = key.name !== '' || key.contact_email.includes('@');
  const lookup = useQuery({
    ...duplicateQueries.find(
      organisation.id,
      `form:${key.name}\u0000${key.city}\u0000${key.contact_email}`,
      [key],
    ),
    enabled,
  });
  const match = enabled ? lookup.data?.[0] : undefined;
  if (!match) return null;
  return (
    <div
      role="status"
      className="flex gap-2 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
    >
      <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        Looks like a restaurant you already have:{' '}
        <Link
          to={paths.app.restaurant.getHref(match.id)}
          className="font-medium underline underline-offset-2"
        >
          {match.name}
          {match.city ? ` (${match.city})` : ''}
        </Link>{' '}
        has the same {match.match === 'email' ? 'contact email' : 'name and city'}. You can still
        add this one.
      </p>
    </div>
  );
}
