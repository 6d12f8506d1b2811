import { delayUnits, type BusinessCalendar } from '@forkflow/domain/business-calendar';
import { leadStageLabels, leadStages } from '@forkflow/domain/restaurants';
import {
  delayUnitLabels,
  sequenceTemplateInputSchema,
  type SequenceTemplateFormValues,
  type SequenceTemplateInput,
} from '@forkflow/domain/sequence-template';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Controller, FormProvider, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import { Switch } from '@/components/ui/switch';
import { useToastClearance } from '@/components/ui/toast';
import { cn } from '@/lib/utils';
import { SequenceSteps } from './sequence-steps';
import type { StepOptions } from './step-editor';
import { TagInput } from './tag-input';
import { TimelinePreview } from './timeline-preview';

type Props = StepOptions & {
  defaultValues: SequenceTemplateFormValues;
  /** The organisation's business calendar (OPEN_AROUND_THE_CLOCK when it has none). */
  calendar: BusinessCalendar;
  hasCalendar: boolean;
  /** Tags used by other templates, offered as suggestions. */
  tagSuggestions?: string[];
  onSubmit: (values: SequenceTemplateInput) => void;
  onCancel: () => void;
  /** Told whenever the form starts or stops having unsaved changes. */
  onDirtyChange?: (dirty: boolean) => void;
  submitLabel: string;
  isPending?: boolean;
  serverError?: string | null;
  /** The moment the timeline preview starts from (tests pin it). */
  now?: Date;
};

function Card({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <h2
        id={id}
        className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-900"
      >
        {title}
      </h2>
      <div className="space-y-5 px-5 py-5">{children}</div>
    </section>
  );
}

/**
 * Create/edit a sequence template: its settings, its steps (reorderable), and a live
 * preview of when each step would fall due. Validation is the shared domain schema.
 */
export function SequenceBuilder({
  defaultValues,
  calendar,
  hasCalendar,
  tagSuggestions = [],
  onSubmit,
  onCancel,
  onDirtyChange,
  submitLabel,
  isPending = false,
  serverError,
  now: fixedNow,
  ...options
}: Props) {
  const form = useForm<SequenceTemplateFormValues, unknown, SequenceTemplateInput>({
    resolver: zodResolver(sequenceTemplateInputSchema),
    defaultValues,
  });
  const { errors, isDirty } = form.formState;
  const summaryRef = useRef<HTMLDivElement>(null);
  const toastClearance = useToastClearance();

  useEffect(() => {
    if (serverError) summaryRef.current?.focus();
  }, [serverError]);

  useEffect(() => {
    onDirtyChange?.(isDirty);
  }, [isDirty, onDirtyChange]);

  const [steps, startDelayValue, startDelayUnit] = useWatch({
    control: form.control,
    name: ['steps', 'start_delay_value', 'start_delay_unit'],
  });
  // The preview starts from when the builder opened; good enough for "about N days".
  const openedAt = useMemo(() => fixedNow ?? new Date(), [fixedNow]);
  const timelineSteps = useMemo(
    () =>
      (steps ?? []).map((step) => ({
        name: step.name ?? '',
        delay_value: step.delay_value,
        delay_unit: step.delay_unit,
      })),
    [steps],
  );
  const startDelay = useMemo(
    () => ({ value: startDelayValue, unit: startDelayUnit }),
    [startDelayValue, startDelayUnit],
  );

  const problemCount = Object.keys(errors).length;

  return (
    <FormProvider {...form}>
      <form
        noValidate
        aria-label={submitLabel}
        onSubmit={form.handleSubmit(onSubmit)}
        className="space-y-6"
      >
        {serverError ? (
          <div ref={summaryRef} tabIndex={-1} className="outline-none">
            <FormErrorSummary title="The sequence wasn't saved" messages={[serverError]} />
          </div>
        ) : null}

        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] xl:grid-cols-[minmax(0,1fr)_22rem]">
          <div className="min-w-0 space-y-6">
            <Card title="Sequence" id="sequence-details-title">
              <Field label="Name" error={errors.name?.message} required>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('name')}
                    autoFocus={!defaultValues.id}
                    autoComplete="off"
                    placeholder="e.g. Demo follow-up"
                  />
                )}
              </Field>
              <Field label="Description" error={errors.description?.message}>
                {(control) => (
                  <Textarea
                    {...control}
                    {...form.register('description')}
                    rows={2}
                    className="min-h-16"
                    placeholder="When to use this sequence"
                  />
                )}
              </Field>
              <Field
                label="Tags"
                error={errors.tags?.message ?? errors.tags?.find?.((tag) => tag)?.message}
                hint="Press Enter or comma after each tag."
              >
                {(control) => (
                  <Controller
                    control={form.control}
                    name="tags"
                    render={({ field }) => (
                      <TagInput
                        {...control}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        suggestions={tagSuggestions}
                      />
                    )}
                  />
                )}
              </Field>

              <div className="grid grid-cols-1 gap-5 sm:grid-cols-2">
                <fieldset>
                  <legend className="block text-sm font-medium text-slate-800">Start delay</legend>
                  <div className="mt-1.5 flex gap-2">
                    <div className="w-24 shrink-0">
                      <label className="sr-only" htmlFor="start-delay-value">
                        Start delay
                      </label>
                      <Input
                        id="start-delay-value"
                        type="number"
                        min={0}
                        step={1}
                        inputMode="numeric"
                        aria-invalid={Boolean(errors.start_delay_value)}
                        aria-describedby="start-delay-help"
                        {...form.register('start_delay_value', { valueAsNumber: true })}
                      />
                    </div>
                    <div className="min-w-0 flex-1">
                      <label className="sr-only" htmlFor="start-delay-unit">
                        Start delay unit
                      </label>
                      <Select id="start-delay-unit" {...form.register('start_delay_unit')}>
                        {delayUnits.map((unit) => (
                          <option key={unit} value={unit}>
                            {delayUnitLabels[unit].other}
                          </option>
                        ))}
                      </Select>
                    </div>
                  </div>
                  <p
                    id="start-delay-help"
                    className={cn(
                      'mt-1.5 text-sm',
                      errors.start_delay_value ? 'text-red-700' : 'text-xs text-slate-500',
                    )}
                  >
                    {errors.start_delay_value?.message ??
                      'Wait this long after starting before the first step counts.'}
                  </p>
                </fieldset>
                <div>
                  <span
                    id="sequence-active-label"
                    className="block text-sm font-medium text-slate-800"
                  >
                    Active
                  </span>
                  <Controller
                    control={form.control}
                    name="is_active"
                    render={({ field }) => (
                      <div className="mt-1.5 flex h-10 items-center gap-3">
                        <Switch
                          checked={field.value}
                          onCheckedChange={field.onChange}
                          onBlur={field.onBlur}
                          aria-labelledby="sequence-active-label"
                          aria-describedby="sequence-active-help"
                        />
                        <span id="sequence-active-help" className="text-sm text-slate-600">
                          {field.value
                            ? 'Can be started for restaurants'
                            : 'Hidden when starting sequences'}
                        </span>
                      </div>
                    )}
                  />
                </div>
              </div>

              <fieldset>
                <legend className="block text-sm font-medium text-slate-800">Exit stages</legend>
                <p className="mt-0.5 text-xs text-slate-500">
                  End the sequence early when the restaurant moves to one of these stages.
                </p>
                <Controller
                  control={form.control}
                  name="exit_stages"
                  render={({ field }) => (
                    <div className="mt-2 flex flex-wrap gap-2">
                      {leadStages.map((stage) => {
                        const checked = field.value.includes(stage);
                        return (
                          <label
                            key={stage}
                            className={cn(
                              'inline-flex cursor-pointer items-center gap-1.5 rounded-full px-3 py-1 text-sm ring-1 ring-inset has-focus-visible:outline-2 has-focus-visible:outline-brand-600',
                              checked
                                ? 'bg-brand-50 font-medium text-brand-800 ring-brand-600/30'
                                : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50',
                            )}
                          >
                            <input
                              type="checkbox"
                              className="sr-only"
                              checked={checked}
                              onChange={(event) =>
                                field.onChange(
                                  event.target.checked
                                    ? [...field.value, stage]
                                    : field.value.filter((item) => item !== stage),
                                )
                              }
                              onBlur={field.onBlur}
                            />
                            {leadStageLabels[stage]}
                          </label>
                        );
                      })}
                    </div>
                  )}
                />
              </fieldset>
            </Card>

            <SequenceSteps collapseInitially={Boolean(defaultValues.id)} {...options} />
          </div>

          <aside className="min-w-0 lg:sticky lg:top-6 lg:self-start">
            <TimelinePreview
              steps={timelineSteps}
              startDelay={startDelay}
              calendar={calendar}
              hasCalendar={hasCalendar}
              now={openedAt}
            />
          </aside>
        </div>

        <div
          ref={toastClearance}
          className="sticky bottom-0 z-20 -mx-4 border-t border-slate-200 bg-white/95 backdrop-blur sm:-mx-6 lg:-mx-8"
        >
          <div className="flex flex-wrap items-center justify-end gap-3 px-4 py-3 sm:px-6 lg:px-8">
            <p className="mr-auto text-sm text-slate-600" aria-live="polite">
              {problemCount > 0 && form.formState.submitCount > 0 ? (
                <span className="font-medium text-red-700">
                  Fix the highlighted fields to save.
                </span>
              ) : isDirty ? (
                'Unsaved changes'
              ) : (
                <span className="max-sm:hidden">No changes yet</span>
              )}
            </p>
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" isLoading={isPending}>
              {submitLabel}
            </Button>
          </div>
        </div>
      </form>
    </FormProvider>
  );
}
