import type { BusinessCalendar } from '@forkflow/domain/business-calendar';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { AlertTriangle, ListPlus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { Button, ButtonLink } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Select } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { sequenceInstanceQueries, type SequenceInstance } from '../api/queries';
import {
  startSequenceInputSchema,
  useStartSequence,
  type StartSequenceFormValues,
} from '../api/start-sequence';
import type { Member } from '../types';
import { isRunning } from '../utils/step-editing';
import { SequenceTimelinePreview } from './sequence-timeline-preview';

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  restaurant: { id: string; name: string; assignedRepId: string | null };
  members: Member[];
  calendar: BusinessCalendar;
  calendarIsDefault: boolean;
  /** Where to create or activate sequence templates (shown when there are none). */
  templatesHref?: string;
  onStarted?: () => void;
  /** The restaurant's sequences, to say before submitting that one is already running. */
  instances?: SequenceInstance[];
};

export function StartSequenceDialog({ open, onOpenChange, ...props }: Props) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Start a sequence"
      description={`For ${props.restaurant.name}. The first step becomes a task at once; each next one when the step before is done.`}
      size="lg"
      bare
    >
      <StartSequenceBody {...props} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function StartSequenceBody({
  restaurant,
  members,
  calendar,
  calendarIsDefault,
  templatesHref,
  onStarted,
  instances = [],
  onDone,
}: Omit<Props, 'open' | 'onOpenChange'> & { onDone: () => void }) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const running = instances.filter(isRunning);
  const templates = useQuery(sequenceInstanceQueries.startableTemplates(organisation.id));
  // The preview counts from when the dialog opened.
  const [now] = useState(() => new Date());
  const summaryRef = useRef<HTMLDivElement>(null);

  const form = useForm<StartSequenceFormValues, unknown, z.output<typeof startSequenceInputSchema>>(
    {
      resolver: zodResolver(startSequenceInputSchema),
      defaultValues: { templateId: '', assignedTo: '' },
    },
  );
  const templateId = useWatch({ control: form.control, name: 'templateId' });
  const selected = templates.data?.find((template) => template.id === templateId);

  const start = useStartSequence({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (instance) => {
        toast({
          title: 'Sequence started',
          description: `${instance.name}. Step 1 is on the task list.`,
        });
        onDone();
        onStarted?.();
      },
    },
  });

  useEffect(() => {
    if (start.error) summaryRef.current?.focus();
  }, [start.error]);

  if (templates.isPending) {
    return (
      <div className="space-y-4 px-6 py-6" role="status" aria-label="Loading sequences">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-32 w-full" />
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

  const defaultRep = members.find((member) => member.id === restaurant.assignedRepId);
  // start_sequence refuses a second run of one template (23505): said before, not after.
  const sameRunning = running.find((instance) => instance.sequence_template_id === templateId);

  return (
    <form
      noValidate
      aria-label="Start a sequence"
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(() =>
        start.mutate({ restaurantId: restaurant.id, data: form.getValues() }),
      )}
    >
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 py-5 sm:px-6">
        {start.error ? (
          <div ref={summaryRef} tabIndex={-1} className="outline-none">
            <FormErrorSummary
              title="The sequence wasn't started"
              messages={[getErrorMessage(start.error)]}
            />
          </div>
        ) : null}
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="Sequence" error={form.formState.errors.templateId?.message} required>
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
          <Field label="Assign to" error={form.formState.errors.assignedTo?.message}>
            {(control) => (
              <Select {...control} {...form.register('assignedTo')}>
                <option value="">
                  {defaultRep ? `Restaurant's rep (${defaultRep.name})` : 'Me (no rep assigned)'}
                </option>
                {members.map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        {sameRunning ? (
          <p
            role="alert"
            className="flex gap-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900"
          >
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-red-600" aria-hidden />
            <span>
              {restaurant.name} is already in this sequence ({sameRunning.name}). A sequence runs
              once at a time for a restaurant: cancel that run first, or choose another sequence.
            </span>
          </p>
        ) : running.length > 0 ? (
          <div
            role="note"
            className="flex gap-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
          >
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
            <div>
              <p>
                {restaurant.name} is already in{' '}
                {running.length === 1
                  ? 'a running sequence'
                  : `${running.length} running sequences`}
                {'; starting this one runs '}
                {running.length === 1 ? 'both' : 'them all'} at the same time:
              </p>
              <ul className="mt-1 list-disc pl-5">
                {running.map((instance) => (
                  <li key={instance.id}>
                    {instance.name} ({instance.status === 'paused' ? 'paused, ' : ''}step{' '}
                    {Math.max(1, instance.current_step_order)} of {instance.total_steps})
                  </li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
        {selected?.description ? (
          <p className="text-sm text-slate-600">{selected.description}</p>
        ) : null}
        {selected ? (
          <SequenceTimelinePreview
            template={selected}
            calendar={calendar}
            calendarIsDefault={calendarIsDefault}
            now={now}
          />
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
            Choose a sequence to see when each step would be due.
          </p>
        )}
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" isLoading={start.isPending} disabled={Boolean(sameRunning)}>
          Start sequence
        </Button>
      </div>
    </form>
  );
}
