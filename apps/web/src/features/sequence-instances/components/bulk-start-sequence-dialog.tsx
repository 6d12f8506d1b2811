import type { BusinessCalendar } from '@forkflow/domain/business-calendar';
import { sequenceStartSkip } from '@forkflow/domain/sequence-running';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { CheckCircle2, ListPlus, MinusCircle, XCircle } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link } from 'react-router';
import type { z } from 'zod';
import { Button, ButtonLink } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Select } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import { sequenceInstanceQueries } from '../api/queries';
import {
  BULK_START_LIMIT,
  startSequenceBulkInputSchema,
  useStartSequenceBulk,
  type BulkStartResult,
} from '../api/start-sequence-bulk';
import { SequenceTimelinePreview } from './sequence-timeline-preview';

type RestaurantRef = { id: string; name: string };

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  restaurants: RestaurantRef[];
  calendar: BusinessCalendar;
  calendarIsDefault: boolean;
  templatesHref?: string;
  /** A link to a restaurant (its sequences are shown there). */
  restaurantHref?: (id: string) => string;
  onFinished?: (results: BulkStartResult[]) => void;
};

const formSchema = startSequenceBulkInputSchema.pick({ templateId: true });
type FormValues = z.input<typeof formSchema>;

export function BulkStartSequenceDialog({ open, onOpenChange, restaurants, ...props }: Props) {
  const count = restaurants.length;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Start a sequence for ${count} ${count === 1 ? 'restaurant' : 'restaurants'}`}
      size="lg"
      bare
    >
      <BulkStartBody {...props} restaurants={restaurants} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function BulkStartBody({
  restaurants,
  calendar,
  calendarIsDefault,
  templatesHref,
  restaurantHref,
  onFinished,
  onDone,
}: Omit<Props, 'open' | 'onOpenChange'> & { onDone: () => void }) {
  const organisation = useCurrentOrganisation();
  const templates = useQuery(sequenceInstanceQueries.startableTemplates(organisation.id));
  const [now] = useState(() => new Date());
  const form = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: { templateId: '' },
  });
  const templateId = useWatch({ control: form.control, name: 'templateId' });
  const selected = templates.data?.find((template) => template.id === templateId);
  const candidates = useQuery(
    sequenceInstanceQueries.startCandidates(
      organisation.id,
      restaurants.map((restaurant) => restaurant.id),
    ),
  );
  // Who this template would leave out, and why, before anything is sent (domain rule).
  const skips = useMemo(() => {
    if (!selected || !candidates.data) return [];
    const byId = new Map(candidates.data.map((candidate) => [candidate.id, candidate]));
    return restaurants.flatMap((restaurant) => {
      const candidate = byId.get(restaurant.id);
      const skip = sequenceStartSkip(
        candidate ?? {
          // Not visible any more: moved to the trash since it was selected.
          lead_stage: '',
          lead_status: '',
          deleted_at: 'unknown',
          running_template_ids: [],
        },
        selected,
      );
      return skip ? [{ restaurant, reason: skip.reason }] : [];
    });
  }, [selected, candidates.data, restaurants]);
  const skippedIds = new Set(skips.map(({ restaurant }) => restaurant.id));
  const toStart = restaurants.filter((restaurant) => !skippedIds.has(restaurant.id));

  const start = useStartSequenceBulk({
    organisationId: organisation.id,
    mutationConfig: { onSuccess: (results) => onFinished?.(results) },
  });
  // The ones left out before sending are reported with the server's results, as skipped.
  const [leftOut, setLeftOut] = useState<BulkStartResult[]>([]);

  if (start.data) {
    return (
      <BulkResults
        results={[...start.data, ...leftOut]}
        restaurants={restaurants}
        restaurantHref={restaurantHref}
        onDone={onDone}
      />
    );
  }
  if (templates.isPending) {
    return (
      <div className="space-y-4 px-6 py-6" role="status" aria-label="Loading sequences">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  }
  if (templates.isError) {
    return (
      <ErrorState
        title="Couldn't load sequences"
        message={getErrorMessage(templates.error)}
        onRetry={() => void templates.refetch()}
        isRetrying={templates.isRefetching}
      />
    );
  }
  if (templates.data.length === 0) {
    return (
      <EmptyState
        icon={<ListPlus className="size-6" aria-hidden />}
        title="No sequences to start"
        description="A sequence needs to be active and have at least one step."
        action={
          templatesHref ? (
            <ButtonLink to={templatesHref} variant="secondary">
              Go to sequence templates
            </ButtonLink>
          ) : undefined
        }
      />
    );
  }

  const tooMany = restaurants.length > BULK_START_LIMIT;

  return (
    <form
      noValidate
      aria-label="Start a sequence for the selected restaurants"
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(({ templateId: id }) => {
        setLeftOut(
          skips.map(({ restaurant, reason }) => ({
            restaurant_id: restaurant.id,
            status: 'skipped',
            reason,
          })),
        );
        start.mutate({ templateId: id, restaurantIds: toStart.map((r) => r.id) });
      })}
    >
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 py-5 sm:px-6">
        {start.error ? (
          <FormErrorSummary
            title="No sequence was started"
            messages={[getErrorMessage(start.error)]}
          />
        ) : null}
        {tooMany ? (
          <FormErrorSummary
            title="Too many restaurants"
            messages={[`Select at most ${BULK_START_LIMIT} restaurants at once.`]}
          />
        ) : null}
        <Field
          label="Sequence"
          error={form.formState.errors.templateId?.message}
          required
          hint="Each restaurant's tasks go to its rep (or to you, when it has none). Restaurants already running this sequence are skipped."
        >
          {(control) => (
            <Select {...control} {...form.register('templateId')} autoFocus>
              <option value="">Choose a sequence…</option>
              {templates.data.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name} ({template.steps.length}{' '}
                  {template.steps.length === 1 ? 'step' : 'steps'})
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div>
          <p className="text-sm font-medium text-slate-800">Restaurants</p>
          <ul className="mt-1.5 flex max-h-28 flex-wrap gap-1.5 overflow-y-auto">
            {restaurants.map((restaurant) => (
              <li
                key={restaurant.id}
                className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700"
              >
                {restaurant.name}
              </li>
            ))}
          </ul>
        </div>
        {selected ? (
          <SkipPreview
            checking={candidates.isPending}
            failed={candidates.isError}
            skips={skips}
            starting={toStart.length}
          />
        ) : null}
        {selected ? (
          <SequenceTimelinePreview
            template={selected}
            calendar={calendar}
            calendarIsDefault={calendarIsDefault}
            now={now}
          />
        ) : null}
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button
          type="submit"
          isLoading={start.isPending}
          disabled={tooMany || (selected !== undefined && toStart.length === 0)}
        >
          Start for {selected ? toStart.length : restaurants.length}{' '}
          {(selected ? toStart.length : restaurants.length) === 1 ? 'restaurant' : 'restaurants'}
        </Button>
      </div>
    </form>
  );
}

/** Before submitting: which restaurants the chosen sequence will leave out, and why. */
function SkipPreview({
  checking,
  failed,
  skips,
  starting,
}: {
  checking: boolean;
  failed: boolean;
  skips: Array<{ restaurant: RestaurantRef; reason: string }>;
  starting: number;
}) {
  if (checking) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Checking which restaurants can start it…
      </p>
    );
  }
  if (failed) {
    return (
      <p role="note" className="text-sm text-slate-600">
        Couldn’t check ahead which restaurants would be skipped; the results will say.
      </p>
    );
  }
  if (skips.length === 0) {
    return (
      <p role="status" className="text-sm text-slate-700">
        All {starting} can start it.
      </p>
    );
  }
  return (
    <section
      aria-label="Will be skipped"
      className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
    >
      <p className="font-medium">
        {skips.length} will be skipped
        {starting > 0 ? `; ${starting} will start it` : '; none can start it'}:
      </p>
      <ul className="mt-1 max-h-36 space-y-0.5 overflow-y-auto">
        {skips.map(({ restaurant, reason }) => (
          <li key={restaurant.id}>
            <span className="font-medium">{restaurant.name}</span> — {reason}
          </li>
        ))}
      </ul>
    </section>
  );
}

const resultStyle: Record<
  BulkStartResult['status'],
  { icon: typeof CheckCircle2; className: string; label: string }
> = {
  started: { icon: CheckCircle2, className: 'text-emerald-600', label: 'Started' },
  skipped: { icon: MinusCircle, className: 'text-amber-600', label: 'Skipped' },
  failed: { icon: XCircle, className: 'text-red-600', label: 'Failed' },
};

const sentence = (text: string) => (text ? `${text[0]?.toUpperCase()}${text.slice(1)}` : text);

function BulkResults({
  results,
  restaurants,
  restaurantHref,
  onDone,
}: {
  results: BulkStartResult[];
  restaurants: RestaurantRef[];
  restaurantHref: ((id: string) => string) | undefined;
  onDone: () => void;
}) {
  const names = new Map(restaurants.map((restaurant) => [restaurant.id, restaurant.name]));
  const counts = { started: 0, skipped: 0, failed: 0 };
  for (const result of results) counts[result.status] += 1;
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="min-h-0 flex-1 overflow-y-auto px-5 py-5 sm:px-6">
        <p role="status" className="text-sm text-slate-700">
          <span className="font-semibold text-emerald-700">{counts.started} started</span>
          {' · '}
          <span className="font-semibold text-amber-700">{counts.skipped} skipped</span>
          {' · '}
          <span className={cn('font-semibold', counts.failed ? 'text-red-700' : 'text-slate-600')}>
            {counts.failed} failed
          </span>
        </p>
        <ul
          aria-label="Results"
          className="mt-4 divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200"
        >
          {results.map((result, index) => {
            const style = resultStyle[result.status];
            const Icon = style.icon;
            const name =
              (result.restaurant_id && names.get(result.restaurant_id)) || 'Unknown restaurant';
            return (
              <li
                key={result.restaurant_id ?? index}
                className="flex items-start gap-3 px-3 py-2.5"
              >
                <Icon className={cn('mt-0.5 size-4 shrink-0', style.className)} aria-hidden />
                <div className="min-w-0 flex-1 text-sm">
                  <p className="font-medium break-words text-slate-900">
                    {result.restaurant_id && restaurantHref ? (
                      <Link to={restaurantHref(result.restaurant_id)} className="hover:underline">
                        {name}
                      </Link>
                    ) : (
                      name
                    )}
                    <span className="font-normal text-slate-600"> — {style.label}</span>
                  </p>
                  {result.reason ? (
                    <p className="text-slate-600">{sentence(result.reason)}</p>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </div>
      <div className="flex justify-end border-t border-slate-200 bg-slate-50 px-5 py-3 sm:px-6">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
