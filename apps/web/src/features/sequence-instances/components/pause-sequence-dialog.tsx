import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input } from '@/components/ui/form-field';
import { pauseSequenceInputSchema, type PauseSequenceFormValues } from '../api/pause-sequence';

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  sequenceName: string;
  onConfirm: (values: PauseSequenceFormValues) => void;
  isPending?: boolean;
  serverError?: string | null;
};

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Pause, optionally until a moment when it resumes by itself. */
export function PauseSequenceDialog({ open, onOpenChange, sequenceName, ...rest }: Props) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Pause this sequence?"
      description={`${sequenceName}. While paused, its current task has no due date and no further step comes due.`}
      bare
    >
      <PauseForm {...rest} onCancel={() => onOpenChange(false)} />
    </Dialog>
  );
}

function PauseForm({
  onConfirm,
  onCancel,
  isPending = false,
  serverError,
}: Omit<Props, 'open' | 'onOpenChange' | 'sequenceName'> & { onCancel: () => void }) {
  const form = useForm<PauseSequenceFormValues, unknown, z.output<typeof pauseSequenceInputSchema>>(
    {
      resolver: zodResolver(pauseSequenceInputSchema),
      defaultValues: { resumeAt: '' },
    },
  );
  return (
    <form
      noValidate
      aria-label="Pause sequence"
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(() => onConfirm(form.getValues()))}
    >
      <div className="space-y-4 px-5 py-5 sm:px-6">
        {serverError ? (
          <FormErrorSummary title="The sequence wasn't paused" messages={[serverError]} />
        ) : null}
        <Field
          label="Resume automatically on (optional)"
          error={form.formState.errors.resumeAt?.message}
          hint={`Your time (${browserZone()}). Leave empty to pause until someone resumes it.`}
        >
          {(control) => <Input {...control} {...form.register('resumeAt')} type="datetime-local" />}
        </Field>
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={isPending}>
          Pause sequence
        </Button>
      </div>
    </form>
  );
}
