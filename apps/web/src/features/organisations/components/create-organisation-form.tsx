import type { z } from 'zod';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import { browserTimeZone } from '@/lib/format-in-zone';
import {
  createOrganisationInputSchema,
  useCreateOrganisation,
  type CreateOrganisationInput,
} from '../api/create-organisation';

type Props = {
  userId: string;
  onCreated: (organisation: { id: string; name: string }) => void;
  onCancel?: () => void;
  submitLabel?: string;
};

export function CreateOrganisationForm({
  userId,
  onCreated,
  onCancel,
  submitLabel = 'Create organisation',
}: Props) {
  const form = useForm<
    z.input<typeof createOrganisationInputSchema>,
    unknown,
    CreateOrganisationInput
  >({
    resolver: zodResolver(createOrganisationInputSchema),
    defaultValues: { name: '' },
  });
  const mutation = useCreateOrganisation({
    userId,
    mutationConfig: { onSuccess: (organisation) => onCreated(organisation) },
  });
  const { errors } = form.formState;
  const [timeZone] = useState(browserTimeZone);

  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <FormErrorSummary
        title="Your organisation wasn't created"
        messages={mutation.error ? [getErrorMessage(mutation.error)] : []}
      />
      <Field
        label="Organisation name"
        error={errors.name?.message}
        required
        hint="Usually your company or team name."
      >
        {(control) => (
          <Input
            {...control}
            {...form.register('name')}
            autoComplete="organization"
            autoFocus
            placeholder="Acme Food Sales"
          />
        )}
      </Field>
      {timeZone ? (
        <p className="text-sm text-slate-600">
          Dates and due times will be in{' '}
          <span className="font-medium text-slate-900">{timeZone.replaceAll('_', ' ')}</span>, this
          device’s time zone. Owners can change it in Settings → Calendar.
        </p>
      ) : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" isLoading={mutation.isPending} className={onCancel ? '' : 'w-full'}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
