import { Compass } from 'lucide-react';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/states';
import { paths } from '@/config/paths';

export function Component() {
  return (
    <div className="rounded-xl bg-white ring-1 ring-slate-200">
      <title>Page not found · Forkflow</title>
      <EmptyState
        icon={<Compass className="size-6" aria-hidden />}
        title="Page not found"
        description="The link may be old, or the page may have moved."
        action={<ButtonLink to={paths.app.restaurants.getHref()}>Go to restaurants</ButtonLink>}
      />
    </div>
  );
}
