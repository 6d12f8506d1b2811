import {
  leadStageLabels,
  leadStages,
  leadStatusLabels,
  leadStatuses,
  leadWarmthLabels,
  leadWarmths,
  restaurantInputSchema,
  type RestaurantFormValues,
  type RestaurantInput,
} from '@forkflow/domain/restaurants';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { EnumSelect } from '@/components/ui/enum-select';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import type { Rep } from '../types';

type RestaurantFormProps = {
  defaultValues: RestaurantFormValues;
  reps: Rep[];
  onSubmit: (values: RestaurantInput) => void;
  onCancel: () => void;
  submitLabel: string;
  isPending?: boolean;
  /** What the server said when saving failed, shown above the fields. */
  serverError?: string | null;
  /** A notice under the contact fields, from what is typed (the create form's duplicate warning). */
  renderNotice?: (values: { name: string; city: string; contactEmail: string }) => ReactNode;
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4">
      <legend className="mb-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {title}
      </legend>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

/**
 * Create/edit form for a restaurant. Validation is the shared domain schema, so what
 * passes here is exactly what the mutation accepts.
 */
export function RestaurantForm({
  defaultValues,
  reps,
  onSubmit,
  onCancel,
  submitLabel,
  isPending = false,
  serverError,
  renderNotice,
}: RestaurantFormProps) {
  const form = useForm<RestaurantFormValues, unknown, RestaurantInput>({
    resolver: zodResolver(restaurantInputSchema),
    defaultValues,
  });
  const { errors } = form.formState;
  const summaryRef = useRef<HTMLDivElement>(null);

  // Bring a server error into view so it isn't missed below the fold.
  useEffect(() => {
    if (serverError) summaryRef.current?.focus();
  }, [serverError]);

  const assignedRep = useWatch({ control: form.control, name: 'assigned_sales_rep' });
  const [typedName, typedCity, typedEmail] = useWatch({
    control: form.control,
    name: ['name', 'city', 'contact_email'],
  });
  const repIsKnown = !assignedRep || reps.some((rep) => rep.id === assignedRep);

  return (
    <form
      noValidate
      aria-label={submitLabel}
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(onSubmit)}
    >
      <div className="min-h-0 flex-1 space-y-7 overflow-y-auto px-5 py-5 sm:px-6">
        {serverError ? (
          <div ref={summaryRef} tabIndex={-1} className="outline-none">
            <FormErrorSummary title="The restaurant wasn't saved" messages={[serverError]} />
          </div>
        ) : null}

        <Section title="Restaurant">
          <Field label="Name" error={errors.name?.message} required className="sm:col-span-2">
            {(control) => (
              <Input {...control} {...form.register('name')} autoFocus autoComplete="off" />
            )}
          </Field>
          <Field label="Cuisine" error={errors.cuisine?.message}>
            {(control) => (
              <Input {...control} {...form.register('cuisine')} placeholder="e.g. Italian" />
            )}
          </Field>
          <Field label="City" error={errors.city?.message}>
            {(control) => (
              <Input {...control} {...form.register('city')} autoComplete="address-level2" />
            )}
          </Field>
          <Field label="Address" error={errors.address?.message} className="sm:col-span-2">
            {(control) => (
              <Input {...control} {...form.register('address')} autoComplete="street-address" />
            )}
          </Field>
        </Section>

        <Section title="Contact">
          <Field label="Contact name" error={errors.contact_name?.message}>
            {(control) => (
              <Input {...control} {...form.register('contact_name')} autoComplete="off" />
            )}
          </Field>
          <Field label="Contact email" error={errors.contact_email?.message}>
            {(control) => (
              <Input
                {...control}
                {...form.register('contact_email')}
                type="email"
                inputMode="email"
                autoComplete="off"
              />
            )}
          </Field>
          <Field label="Contact phone" error={errors.contact_phone?.message}>
            {(control) => (
              <Input
                {...control}
                {...form.register('contact_phone')}
                type="tel"
                inputMode="tel"
                autoComplete="off"
              />
            )}
          </Field>
          <Field label="Website" error={errors.website?.message}>
            {(control) => (
              <Input
                {...control}
                {...form.register('website')}
                inputMode="url"
                placeholder="harbourbistro.com"
              />
            )}
          </Field>
        </Section>

        {renderNotice?.({
          name: typedName ?? '',
          city: typedCity ?? '',
          contactEmail: typedEmail ?? '',
        })}

        <Section title="Lead">
          <Field label="Lead stage" error={errors.lead_stage?.message}>
            {(control) => (
              <EnumSelect
                {...control}
                {...form.register('lead_stage')}
                values={leadStages}
                labels={leadStageLabels}
              />
            )}
          </Field>
          <Field label="Warmth" error={errors.lead_warmth?.message}>
            {(control) => (
              <EnumSelect
                {...control}
                {...form.register('lead_warmth')}
                values={leadWarmths}
                labels={leadWarmthLabels}
              />
            )}
          </Field>
          <Field label="Status" error={errors.lead_status?.message}>
            {(control) => (
              <EnumSelect
                {...control}
                {...form.register('lead_status')}
                values={leadStatuses}
                labels={leadStatusLabels}
              />
            )}
          </Field>
          <Field label="Assigned rep" error={errors.assigned_sales_rep?.message}>
            {(control) => (
              <Select {...control} {...form.register('assigned_sales_rep')}>
                <option value="">Unassigned</option>
                {reps.map((rep) => (
                  <option key={rep.id} value={rep.id}>
                    {rep.name}
                  </option>
                ))}
                {repIsKnown ? null : <option value={assignedRep ?? ''}>Former member</option>}
              </Select>
            )}
          </Field>
        </Section>

        <Field label="Notes" error={errors.notes?.message}>
          {(control) => <Textarea {...control} {...form.register('notes')} rows={4} />}
        </Field>
      </div>

      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={isPending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
