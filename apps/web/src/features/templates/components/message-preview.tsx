import {
  isKnownVariable,
  messageContextFor,
  renderMessage,
  type RenderWarning,
} from '@forkflow/domain/message-template';
import { useQuery } from '@tanstack/react-query';
import { Eye, TriangleAlert } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { Select } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { templateQueries, type PreviewRestaurant } from '../api/queries';
import type { Rep } from '../types';
import { closestVariable, suggestedFallbacks } from '../utils/message-hints';

type Props = {
  subject: string | null;
  content: string;
  reps: Rep[];
};

/** One line a writer can act on, for a warning about one restaurant. */
export function describeWarning(warning: RenderWarning, restaurantName: string): string {
  if (warning.problem === 'empty' && isKnownVariable(warning.variable)) {
    return `${warning.variable} is empty for ${restaurantName} — add a fallback: {${warning.variable}|${suggestedFallbacks[warning.variable]}}`;
  }
  const guess = closestVariable(warning.variable);
  return `{${warning.variable}} isn’t a variable Forkflow knows, so it would be sent as written${guess ? ` — did you mean {${guess}}?` : '.'}`;
}

/** The message as one restaurant would get it, rendered here in the browser as the server would. */
export function MessagePreview({ subject, content, reps }: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(templateQueries.previewRestaurants(organisation.id));
  const selectId = useId();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const restaurants = query.data ?? [];
  const restaurant: PreviewRestaurant | undefined =
    restaurants.find((item) => item.id === chosenId) ?? restaurants[0];

  const rendered = useMemo(() => {
    if (!restaurant) return null;
    const rep = reps.find((item) => item.id === restaurant.assigned_sales_rep);
    const context = messageContextFor({
      restaurant,
      // Like the server's preview: the restaurant's rep is the rep.
      rep: rep ? { full_name: rep.name, email: rep.email } : null,
      organisation: { name: organisation.name },
    });
    const body = renderMessage(content, context);
    const title = subject ? renderMessage(subject, context) : null;
    const warnings: RenderWarning[] = [];
    for (const warning of [...(title?.warnings ?? []), ...body.warnings]) {
      if (!warnings.some((w) => w.variable === warning.variable && w.problem === warning.problem))
        warnings.push(warning);
    }
    return { subject: title?.text ?? null, body: body.text, warnings };
  }, [restaurant, reps, organisation.name, content, subject]);

  return (
    <section
      aria-labelledby="message-preview-title"
      className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <header className="border-b border-slate-100 px-5 py-3">
        <h2
          id="message-preview-title"
          className="flex items-center gap-2 text-sm font-semibold text-slate-900"
        >
          <Eye className="size-4 text-brand-600" aria-hidden />
          Preview
        </h2>
      </header>
      <div className="space-y-4 px-5 py-4">
        {query.isPending ? (
          <div role="status" aria-label="Loading restaurants" className="space-y-2">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-24 w-full" />
          </div>
        ) : !query.data ? (
          <p role="alert" className="text-sm text-red-700">
            Couldn’t load restaurants to preview with: {getErrorMessage(query.error)}
          </p>
        ) : !restaurant || !rendered ? (
          <p className="text-sm text-slate-500">
            Add a restaurant to see how this message reads for it.
          </p>
        ) : (
          <>
            <div className="space-y-1.5">
              <label htmlFor={selectId} className="block text-sm font-medium text-slate-800">
                Preview for
              </label>
              <Select
                id={selectId}
                value={restaurant.id}
                onChange={(event) => setChosenId(event.target.value)}
              >
                {restaurants.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                ))}
              </Select>
            </div>
            <div
              aria-label={`Message for ${restaurant.name}`}
              role="document"
              className="rounded-lg bg-slate-50 px-4 py-3 text-sm text-slate-800 ring-1 ring-slate-200 ring-inset"
            >
              {rendered.subject !== null ? (
                <p className="mb-2 border-b border-slate-200 pb-2 font-medium text-slate-900">
                  <span className="text-slate-500">Subject: </span>
                  {rendered.subject || <span className="text-slate-400">(empty)</span>}
                </p>
              ) : null}
              {rendered.body.trim() ? (
                <p className="break-words whitespace-pre-wrap">{rendered.body}</p>
              ) : (
                <p className="text-slate-400">Start writing to see the message.</p>
              )}
            </div>
            {rendered.warnings.length ? (
              <ul aria-label="Preview warnings" className="space-y-2">
                {rendered.warnings.map((warning) => (
                  <li
                    key={`${warning.variable}:${warning.problem}`}
                    className="flex items-start gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900"
                  >
                    <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                    <span className="min-w-0 break-words">
                      {describeWarning(warning, restaurant.name)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : content.trim() ? (
              <p className="text-xs text-slate-500">
                Every variable is filled for {restaurant.name}.
              </p>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
