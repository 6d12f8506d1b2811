import { delayUnits } from '@forkflow/domain/business-calendar';
import { delayUnitLabels, taskTypeLabels, taskTypes } from '@forkflow/domain/sequence-template';
import { zodResolver } from '@hookform/resolvers/zod';
import { AlertTriangle } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import {
  insertStepInputSchema,
  useInsertSequenceTask,
  type InsertStepFormValues,
} from '../api/insert-sequence-task';
import type { SequenceInstance } from '../api/queries';
import { warningSentences } from '../api/step-result';
import { insertPositions } from '../utils/step-editing';

type Props = {
  /** The running sequence to add to; null = closed. */
  instance: SequenceInstance | null;
  onOpenChange: (open: boolean) => void;
  onChanged?: () => void;
  /** Preselected position (e.g. right after a task's own step); the first allowed otherwise. */
  defaultPosition?: number;
};

/** Adds an ad-hoc step to a running sequence (insert_sequence_task). */
export function AddStepDialog({ instance, onOpenChange, onChanged, defaultPosition }: Props) {
  return (
    <Dialog
      open={instance !== null}
      onOpenChange={onOpenChange}
      title="Add a step"
      description={instance ? `To ${instance.name}.` : undefined}
      size="lg"
      bare
    >
      {instance ? (
        <AddStepForm
          instance={instance}
          onDone={() => onOpenChange(false)}
          onChanged={onChanged}
          defaultPosition={defaultPosition}
        />
      ) : null}
    </Dialog>
  );
}

function AddStepForm({
  instance,
  onDone,
  onChanged,
  defaultPosition,
}: {
  instance: SequenceInstance;
  onDone: () => void;
  onChanged?: () => void;
  defaultPosition?: number | undefined;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const summaryRef = useRef<HTMLDivElement>(null);
  const positions = insertPositions(instance);
  const form = useForm<InsertStepFormValues, unknown, z.output<typeof insertStepInputSchema>>({
    resolver: zodResolver(insertStepInputSchema),
    defaultValues: {
      position:
        positions.find(({ position }) => position === defaultPosition)?.position ??
        positions[0]?.position ??
        instance.total_steps + 1,
      name: '',
      type: 'call',
      delayValue: 1,
      delayUnit: 'days',
      message: '',
    },
  });
  const { errors } = form.formState;

  const insert = useInsertSequenceTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => {
        toast({
          title: 'Step added',
          description: result.task
            ? `Step ${result.task.sequence_step_order}: ${result.task.name}. The sequence is marked as modified.`
            : undefined,
        });
        if (result.warnings.length > 0) {
          toast({
            tone: 'info',
            title: 'Check the step’s message',
            description: warningSentences(result.warnings),
            duration: 8000,
          });
        }
        onDone();
      },
      onSettled: () => onChanged?.(),
    },
  });

  useEffect(() => {
    if (insert.error) summaryRef.current?.focus();
  }, [insert.error]);

  return (
    <form
      noValidate
      aria-label="Add a step"
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(() =>
        insert.mutate({ instanceId: instance.id, data: form.getValues() }),
      )}
    >
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-5 sm:px-6">
        {insert.error ? (
          <div ref={summaryRef} tabIndex={-1} className="outline-none">
            <FormErrorSummary
              title="The step wasn’t added"
              messages={[getErrorMessage(insert.error)]}
            />
          </div>
        ) : null}
        <p
          role="note"
          className="flex gap-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
        >
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          <span>
            This changes this run only: the sequence is marked as modified and its template stays as
            it is. Steps already done can’t be moved, so a new step goes after the current one.
          </span>
        </p>
        <Field label="Position" error={errors.position?.message} required>
          {(control) => (
            <Select {...control} {...form.register('position', { valueAsNumber: true })}>
              {positions.map(({ position, label }) => (
                <option key={position} value={position}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="Name" error={errors.name?.message} required>
            {(control) => <Input {...control} {...form.register('name')} autoFocus />}
          </Field>
          <Field label="Type" error={errors.type?.message} required>
            {(control) => (
              <Select {...control} {...form.register('type')}>
                {taskTypes.map((type) => (
                  <option key={type} value={type}>
                    {taskTypeLabels[type]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            label="Delay"
            error={errors.delayValue?.message}
            hint="Counted from when the step before it is done."
            required
          >
            {(control) => (
              <Input
                {...control}
                {...form.register('delayValue', { valueAsNumber: true })}
                type="number"
                min={0}
                inputMode="numeric"
              />
            )}
          </Field>
          <Field label="Delay unit" error={errors.delayUnit?.message} required>
            {(control) => (
              <Select {...control} {...form.register('delayUnit')}>
                {delayUnits.map((unit) => (
                  <option key={unit} value={unit}>
                    {delayUnitLabels[unit].other}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Field
          label="Message (optional)"
          error={errors.message?.message}
          hint="Placeholders such as {contact_first_name} are filled in for this restaurant."
        >
          {(control) => <Textarea {...control} {...form.register('message')} rows={4} />}
        </Field>
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" isLoading={insert.isPending}>
          Add step
        </Button>
      </div>
    </form>
  );
}
