import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import { Switch } from '@/components/ui/switch';
import { useNow } from '@/hooks/use-now';
import { getErrorMessage } from '@/lib/errors';
import { formatInZone, getDisplayTimeZone } from '@/lib/format-in-zone';
import {
  TRIGGER_KINDS,
  triggerKindLabels,
  type TriggerKind,
  type WorkflowTrigger,
} from '../api/queries';
import {
  emptyTriggerFormValues,
  triggerFormSchema,
  triggerFormValues,
  useSaveTrigger,
  type SavedTrigger,
  type TriggerFormValues,
  type TriggerInput,
} from '../api/save-trigger';
import { CRON_PRESETS, cronInWords, cronProblem, nextCronTimes } from '../utils/cron';
import { EVENT_TYPES, eventExamples, eventFields, eventLabels, isEventType } from '../utils/events';

const kindHints: Record<TriggerKind, string> = {
  schedule: 'Runs at the times of a cron expression, in the organisation’s time zone.',
  event: 'Runs when something happens in Forkflow, if the event matches a filter.',
  webhook: 'Runs when another system POSTs a signed request to the trigger’s URL.',
};

type Props = {
  organisationId: string;
  workflowId: string;
  /** null: add a trigger; else edit this one. */
  trigger: WorkflowTrigger | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: (saved: SavedTrigger, input: TriggerInput) => void;
};

/** Add or edit a trigger: the kind's fields, each checked as typed with the domain's rules. */
export function TriggerDialog({ trigger, open, onOpenChange, ...rest }: Props) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      size="lg"
      title={trigger ? `Edit ${trigger.name}` : 'Add a trigger'}
      description="What starts this workflow by itself. The job runs as you, on the workflow’s current version."
    >
      <TriggerForm trigger={trigger} onCancel={() => onOpenChange(false)} {...rest} />
    </Dialog>
  );
}

function TriggerForm({
  organisationId,
  workflowId,
  trigger,
  onCancel,
  onSaved,
}: Omit<Props, 'open' | 'onOpenChange'> & { onCancel: () => void }) {
  const form = useForm<TriggerFormValues, unknown, TriggerInput>({
    resolver: zodResolver(triggerFormSchema),
    defaultValues: trigger ? triggerFormValues(trigger) : emptyTriggerFormValues,
    mode: 'onTouched',
  });
  const save = useSaveTrigger({
    organisationId,
    mutationConfig: {
      onSuccess: (saved, variables) => onSaved(saved, triggerFormSchema.parse(variables.data)),
    },
  });
  const kind = useWatch({ control: form.control, name: 'kind' });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      aria-label={trigger ? 'Edit trigger' : 'Add trigger'}
      className="space-y-4"
      onSubmit={form.handleSubmit(() =>
        save.mutate({ organisationId, workflowId, id: trigger?.id, data: form.getValues() }),
      )}
    >
      {save.error ? (
        <FormErrorSummary
          title="The trigger wasn’t saved"
          messages={[getErrorMessage(save.error)]}
        />
      ) : null}

      {trigger ? (
        // A trigger keeps its kind (a disabled radio would also drop out of the form's values).
        <p className="text-sm text-slate-700">
          <span className="font-medium text-slate-800">Kind:</span> {triggerKindLabels[kind]}.{' '}
          <span className="text-slate-500">Add another trigger for another kind.</span>
        </p>
      ) : (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Kind</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {TRIGGER_KINDS.map((value) => (
              <label
                key={value}
                className="flex cursor-pointer items-start gap-2 rounded-lg p-3 text-sm ring-1 ring-slate-200 has-checked:bg-brand-50 has-checked:ring-brand-600"
              >
                <input type="radio" value={value} className="mt-0.5" {...form.register('kind')} />
                <span>
                  <span className="block font-medium text-slate-900">
                    {triggerKindLabels[value]}
                  </span>
                  <span className="block text-xs text-slate-600">{kindHints[value]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}

      <Field label="Name" required error={errors.name?.message}>
        {(control) => (
          <Input
            {...control}
            {...form.register('name')}
            autoComplete="off"
            placeholder={kind === 'schedule' ? 'Weekday morning run' : 'Demo done follow-up'}
          />
        )}
      </Field>

      {kind === 'schedule' ? <ScheduleFields form={form} /> : null}
      {kind === 'event' ? <EventFields form={form} /> : null}
      {kind === 'webhook' ? (
        <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700">
          {trigger
            ? 'Its URL stays the same. Rotate the secret from the trigger’s row if it leaked.'
            : 'After saving you see its URL and signing secret, once: copy the secret then.'}
        </p>
      ) : null}

      <Field
        label="Static input (optional)"
        error={errors.input?.message}
        hint="A JSON object merged into every job’s input, under what the firing adds (trigger, event, body, scheduled_for)."
      >
        {(control) => (
          <Textarea
            {...control}
            {...form.register('input')}
            spellCheck={false}
            className="min-h-16 font-mono text-[13px]"
            placeholder='{"source": "trigger"}'
          />
        )}
      </Field>

      <Controller
        control={form.control}
        name="enabled"
        render={({ field }) => (
          <label className="flex items-center gap-3 text-sm text-slate-800">
            <Switch
              checked={field.value}
              onCheckedChange={field.onChange}
              aria-label="Enabled"
              size="sm"
            />
            {field.value ? 'Enabled: it fires' : 'Off: it fires nothing until switched on'}
          </label>
        )}
      />

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={save.isPending}>
          {trigger ? 'Save trigger' : 'Add trigger'}
        </Button>
      </div>
    </form>
  );
}

type Form = ReturnType<typeof useForm<TriggerFormValues, unknown, TriggerInput>>;

/** Cron with presets, its reading in words and its next three times in the organisation's zone. */
function ScheduleFields({ form }: { form: Form }) {
  const cron = useWatch({ control: form.control, name: 'cron' }) ?? '';
  const zone = getDisplayTimeZone();
  // A minute's precision is all a schedule has.
  const now = useNow(60_000);
  const preview = useMemo(() => {
    const expression = cron.trim();
    if (!expression || cronProblem(expression)) return null;
    return { words: cronInWords(expression), next: nextCronTimes(expression, now, zone, 3) };
  }, [cron, now, zone]);
  const error = form.formState.errors.cron?.message;
  return (
    <div className="space-y-2">
      <Field
        label="Cron expression"
        required
        error={error}
        hint="Five fields: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5."
      >
        {(control) => (
          <Input
            {...control}
            {...form.register('cron')}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="0 9 * * 1-5"
          />
        )}
      </Field>
      <div className="flex flex-wrap gap-1.5" role="group" aria-label="Presets">
        {CRON_PRESETS.map((preset) => (
          <Button
            key={preset.cron}
            variant="secondary"
            size="sm"
            onClick={() =>
              form.setValue('cron', preset.cron, { shouldValidate: true, shouldDirty: true })
            }
          >
            {preset.label}
          </Button>
        ))}
      </div>
      {preview ? (
        <div
          aria-live="polite"
          aria-label="Schedule preview"
          className="rounded-lg bg-slate-50 px-3 py-2 text-sm"
        >
          <p className="font-medium text-slate-900">
            {preview.words} ({zone})
          </p>
          {preview.next.length > 0 ? (
            <p className="text-slate-600">
              Next:{' '}
              {preview.next.map((time, index) => (
                <span key={time.toISOString()}>
                  {index > 0 ? ', ' : null}
                  <time dateTime={time.toISOString()}>{formatInZone(time, zone)}</time>
                </span>
              ))}
            </p>
          ) : (
            <p className="text-slate-600">It never fires (no such date).</p>
          )}
        </div>
      ) : null}
    </div>
  );
}

/** The event, and an optional filter on its payload with the payload's fields as examples. */
function EventFields({ form }: { form: Form }) {
  const eventType = useWatch({ control: form.control, name: 'eventType' });
  const { errors } = form.formState;
  return (
    <div className="space-y-3">
      <Field label="Event" required error={errors.eventType?.message}>
        {(control) => (
          <Select {...control} {...form.register('eventType')}>
            <option value="">Choose an event…</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {eventLabels[type]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        label="Filter (optional)"
        error={errors.eventFilter?.message}
        hint="A JSONPath filter on the event, as a workflow branch’s “when”: @ is the event. Empty: every event."
      >
        {(control) => (
          <Input
            {...control}
            {...form.register('eventFilter')}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="@.to_stage == 'demo_done'"
          />
        )}
      </Field>
      {isEventType(eventType) ? (
        <div className="space-y-2 rounded-lg bg-slate-50 px-3 py-2 text-sm">
          <p className="font-medium text-slate-800">Fields of this event</p>
          <ul className="space-y-1" aria-label="Filter examples">
            {eventFields[eventType].map((field) => (
              <li key={field.path} className="flex flex-wrap items-center gap-2">
                <code className="text-xs text-slate-700">{field.path}</code>
                <Button
                  variant="link"
                  size="sm"
                  className="text-xs"
                  onClick={() =>
                    form.setValue('eventFilter', field.example, {
                      shouldValidate: true,
                      shouldDirty: true,
                    })
                  }
                >
                  Use {field.example}
                </Button>
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer text-xs text-slate-600">An example event</summary>
            <pre className="mt-1 max-h-48 overflow-auto font-mono text-xs text-slate-700">
              {JSON.stringify(eventExamples[eventType], null, 2)}
            </pre>
          </details>
        </div>
      ) : null}
    </div>
  );
}
