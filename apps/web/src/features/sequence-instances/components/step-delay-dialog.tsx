import { delayUnits } from '@forkflow/domain/business-calendar';
import { delayUnitLabels } from '@forkflow/domain/sequence-template';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input, Select } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import type { InstanceTask } from '../api/queries';
import { warningSentences } from '../api/step-result';
import {
  stepDelaySchema,
  useUpdateSequenceTaskDelay,
  type StepDelayFormValues,
} from '../api/update-sequence-task-delay';
import { stepDelayText } from '../utils/step-editing';

type Props = {
  /** The pending step whose delay changes; null = closed. */
  task: InstanceTask | null;
  onOpenChange: (open: boolean) => void;
  onChanged?: () => void;
};

/** Changes a pending step's delay (update_sequence_task_delay). */
export function StepDelayDialog({ task, onOpenChange, onChanged }: Props) {
  return (
    <Dialog
      open={task !== null}
      onOpenChange={onOpenChange}
      title="Change the delay"
      description={task ? `Step ${task.sequence_step_order}: ${task.name}.` : undefined}
      bare
    >
      {task ? (
        <StepDelayForm task={task} onDone={() => onOpenChange(false)} onChanged={onChanged} />
      ) : null}
    </Dialog>
  );
}

function StepDelayForm({
  task,
  onDone,
  onChanged,
}: {
  task: InstanceTask;
  onDone: () => void;
  onChanged?: () => void;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const unit = delayUnits.find((value) => value === task.sequence_delay_unit) ?? 'days';
  const form = useForm<StepDelayFormValues, unknown, z.output<typeof stepDelaySchema>>({
    resolver: zodResolver(stepDelaySchema),
    defaultValues: { delayValue: task.sequence_delay_value ?? 0, delayUnit: unit },
  });
  const { errors } = form.formState;
  const current = stepDelayText(task);

  const update = useUpdateSequenceTaskDelay({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => {
        toast({
          title: 'Delay changed',
          description: `Step ${task.sequence_step_order}: ${task.name}. The sequence is marked as modified.`,
        });
        if (result.warnings.length > 0) {
          toast({
            tone: 'info',
            title: 'Heads up',
            description: warningSentences(result.warnings),
          });
        }
        onDone();
      },
      onSettled: () => onChanged?.(),
    },
  });

  return (
    <form
      noValidate
      aria-label="Change the delay"
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(() => update.mutate({ taskId: task.id, data: form.getValues() }))}
    >
      <div className="space-y-4 px-5 py-5 sm:px-6">
        {update.error ? (
          <FormErrorSummary
            title="The delay wasn’t changed"
            messages={[getErrorMessage(update.error)]}
          />
        ) : null}
        <p role="note" className="text-sm text-slate-600">
          Now {current === 'no delay' ? 'no delay' : `${current ?? 'unknown'}`} after the step
          before it is done. The new delay counts from then too. Only this run changes: the sequence
          is marked as modified.
        </p>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Delay" error={errors.delayValue?.message} required>
            {(control) => (
              <Input
                {...control}
                {...form.register('delayValue', { valueAsNumber: true })}
                type="number"
                min={0}
                inputMode="numeric"
                autoFocus
              />
            )}
          </Field>
          <Field label="Delay unit" error={errors.delayUnit?.message} required>
            {(control) => (
              <Select {...control} {...form.register('delayUnit')}>
                {delayUnits.map((value) => (
                  <option key={value} value={value}>
                    {delayUnitLabels[value].other}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" isLoading={update.isPending}>
          Change delay
        </Button>
      </div>
    </form>
  );
}
