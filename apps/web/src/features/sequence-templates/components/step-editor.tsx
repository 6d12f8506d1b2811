import { delayUnits } from '@forkflow/domain/business-calendar';
import type { KnownVariable } from '@forkflow/domain/message-template';
import {
  delayUnitLabels,
  sequenceStepTypeLabels,
  sequenceStepTypes,
  taskPriorities,
  taskPriorityLabels,
  type SequenceStepFormValues,
  type SequenceTemplateFormValues,
  type SequenceTemplateInput,
} from '@forkflow/domain/sequence-template';
import { useRef, type ReactNode } from 'react';
import { useFormContext, useFormState, useWatch } from 'react-hook-form';
import { EnumSelect } from '@/components/ui/enum-select';
import { Field, Input, Select, Textarea } from '@/components/ui/form-field';
import { VariablePicker } from '@/components/variable-picker';
import { insertAtCursor, placeCaret } from '@/lib/insert-at-cursor';
import { cn } from '@/lib/utils';
import type { MemberOption, MessageTemplateOption, TaskTemplateOption } from '../types';

type Form = SequenceTemplateFormValues;

export type StepOptions = {
  taskTemplates: TaskTemplateOption[];
  messageTemplates: MessageTemplateOption[];
  members: MemberOption[];
  /**
   * The fields of an automated step (workflow and inputs), from the automated-steps feature;
   * the route supplies them (features don't import each other). Without it the type is not
   * offered.
   */
  automatedStepFields?: (index: number) => ReactNode;
};

/** The fields of one step: name, type, priority, template, delay, assignee, message, notes. */
export function StepEditor({
  index,
  taskTemplates,
  messageTemplates,
  members,
  automatedStepFields,
}: StepOptions & { index: number }) {
  const form = useFormContext<Form, unknown, SequenceTemplateInput>();
  const { errors } = useFormState({ control: form.control, name: `steps.${index}` });
  const stepErrors = Array.isArray(errors.steps) ? errors.steps[index] : undefined;
  const [messageSource, taskTemplateId, messageTemplateId, assignee, type] = useWatch({
    control: form.control,
    name: [
      `steps.${index}.message_source`,
      `steps.${index}.task_template_id`,
      `steps.${index}.message_template_id`,
      `steps.${index}.assigned_to_override`,
      `steps.${index}.type`,
    ],
  });
  const automated = type === 'automated';
  // A saved automated step stays editable even where the option is not offered.
  const stepTypes = sequenceStepTypes.filter(
    (value) => value !== 'automated' || automatedStepFields || automated,
  );
  const path = <K extends keyof SequenceStepFormValues>(key: K) => `steps.${index}.${key}` as const;

  const taskTemplateField = form.register(path('task_template_id'));
  const { ref: customMessageFieldRef, ...customMessageField } = form.register(
    path('custom_message'),
  );
  const customMessageRef = useRef<HTMLTextAreaElement | null>(null);
  const insertVariable = (variable: KnownVariable) => {
    const textarea = customMessageRef.current;
    const { value, caret } = insertAtCursor(
      textarea,
      form.getValues(path('custom_message')) ?? '',
      `{${variable}}`,
    );
    form.setValue(path('custom_message'), value, {
      shouldDirty: true,
      shouldValidate: form.formState.isSubmitted,
    });
    placeCaret(textarea, caret);
  };
  const applyTaskTemplate = (id: string) => {
    const template = taskTemplates.find((item) => item.id === id);
    if (!template) return;
    const options = { shouldDirty: true, shouldValidate: form.formState.isSubmitted };
    if (!form.getValues(path('name'))?.trim()) form.setValue(path('name'), template.name, options);
    form.setValue(path('type'), template.type, options);
    form.setValue(path('priority'), template.priority, options);
    if (template.message_template_id) {
      form.setValue(path('message_source'), 'template', options);
      form.setValue(path('message_template_id'), template.message_template_id, options);
    } else if (template.default_message) {
      form.setValue(path('message_source'), 'custom', options);
      form.setValue(path('custom_message'), template.default_message, options);
    }
  };

  // Inactive templates are offered only when this step already uses them.
  const taskTemplateChoices = taskTemplates.filter(
    (template) => template.is_active || template.id === taskTemplateId,
  );
  const messageTemplateChoices = messageTemplates.filter(
    (template) => template.is_active || template.id === messageTemplateId,
  );
  const assigneeIsKnown = !assignee || members.some((member) => member.id === assignee);

  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-6">
      <Field label="Step name" error={stepErrors?.name?.message} required className="sm:col-span-6">
        {(control) => (
          <Input
            {...control}
            {...form.register(path('name'))}
            placeholder="e.g. Intro call"
            autoComplete="off"
          />
        )}
      </Field>

      <Field label="Type" error={stepErrors?.type?.message} className="sm:col-span-2">
        {(control) => (
          <EnumSelect
            {...control}
            {...form.register(path('type'))}
            values={stepTypes}
            labels={sequenceStepTypeLabels}
          />
        )}
      </Field>
      <Field label="Priority" error={stepErrors?.priority?.message} className="sm:col-span-2">
        {(control) => (
          <EnumSelect
            {...control}
            {...form.register(path('priority'))}
            values={taskPriorities}
            labels={taskPriorityLabels}
          />
        )}
      </Field>
      {automated ? (
        <div className="sm:col-span-6">
          {automatedStepFields?.(index) ?? (
            <p className="text-sm text-slate-600">Automated steps can’t be edited here.</p>
          )}
        </div>
      ) : (
        <Field
          label="Task template"
          error={stepErrors?.task_template_id?.message}
          hint={taskTemplates.length ? undefined : 'No task templates yet'}
          className="sm:col-span-2"
        >
          {(control) => (
            <Select
              {...control}
              {...taskTemplateField}
              onChange={(event) => {
                void taskTemplateField.onChange(event);
                applyTaskTemplate(event.target.value);
              }}
            >
              <option value="">None</option>
              {taskTemplateChoices.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                  {template.is_active ? '' : ' (inactive)'}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}

      <div className="sm:col-span-3">
        <fieldset>
          <legend className="block text-sm font-medium text-slate-800">Delay</legend>
          <div className="mt-1.5 flex gap-2">
            <Field
              label={`Delay of step ${index + 1}`}
              error={undefined}
              className="w-24 shrink-0 [&>label]:sr-only"
            >
              {(control) => (
                <Input
                  {...control}
                  aria-invalid={Boolean(stepErrors?.delay_value)}
                  aria-describedby={
                    stepErrors?.delay_value ? `step-${index}-delay-error` : undefined
                  }
                  {...form.register(path('delay_value'), { valueAsNumber: true })}
                  type="number"
                  min={0}
                  step={1}
                  inputMode="numeric"
                />
              )}
            </Field>
            <Field
              label={`Delay unit of step ${index + 1}`}
              className="min-w-0 flex-1 [&>label]:sr-only"
            >
              {(control) => (
                <Select {...control} {...form.register(path('delay_unit'))}>
                  {delayUnits.map((unit) => (
                    <option key={unit} value={unit}>
                      {delayUnitLabels[unit].other}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          {stepErrors?.delay_value ? (
            <p id={`step-${index}-delay-error`} className="mt-1.5 text-sm text-red-700">
              {stepErrors.delay_value.message}
            </p>
          ) : (
            <p className="mt-1.5 text-xs text-slate-500">
              {index === 0
                ? 'After the sequence starts, in working time.'
                : 'After the previous step is done, in working time.'}
            </p>
          )}
        </fieldset>
      </div>

      <Field
        label="Assignee"
        error={stepErrors?.assigned_to_override?.message}
        hint="Who gets this task. By default, whoever the sequence is assigned to."
        className="sm:col-span-3"
      >
        {(control) => (
          <Select {...control} {...form.register(path('assigned_to_override'))}>
            <option value="">Sequence’s assignee (default)</option>
            {members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
            {assigneeIsKnown ? null : <option value={assignee ?? ''}>Former member</option>}
          </Select>
        )}
      </Field>

      {automated ? null : (
        <fieldset className="sm:col-span-6">
          <legend className="block text-sm font-medium text-slate-800">Message</legend>
          <div className="mt-1.5 inline-flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
            {(
              [
                ['none', 'No message'],
                ['template', 'Message template'],
                ['custom', 'Custom message'],
              ] as const
            ).map(([value, label]) => (
              <label
                key={value}
                className={cn(
                  'cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-focus-visible:outline-2 has-focus-visible:outline-brand-600',
                  messageSource === value
                    ? 'bg-white text-slate-900 shadow-xs'
                    : 'text-slate-600 hover:text-slate-900',
                )}
              >
                <input
                  type="radio"
                  value={value}
                  className="sr-only"
                  {...form.register(path('message_source'))}
                />
                {label}
              </label>
            ))}
          </div>
          {messageSource === 'template' ? (
            <Field
              label="Message template"
              error={stepErrors?.message_template_id?.message}
              hint={
                messageTemplates.length
                  ? undefined
                  : 'No message templates yet: create one under Templates.'
              }
              className="mt-3"
            >
              {(control) => (
                <Select {...control} {...form.register(path('message_template_id'))}>
                  <option value="">Choose a message template…</option>
                  {messageTemplateChoices.map((template) => (
                    <option key={template.id} value={template.id}>
                      {template.name}
                      {template.is_active ? '' : ' (inactive)'}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          ) : null}
          {messageSource === 'custom' ? (
            <Field
              label="Custom message"
              error={stepErrors?.custom_message?.message}
              hint="Placeholders like {restaurant_name} or {contact_first_name|there} are filled in for each restaurant."
              className="mt-3"
            >
              {(control) => (
                <Textarea
                  {...control}
                  {...customMessageField}
                  ref={(element) => {
                    customMessageFieldRef(element);
                    customMessageRef.current = element;
                  }}
                  rows={4}
                />
              )}
            </Field>
          ) : null}
          {messageSource === 'custom' ? (
            <div className="mt-3">
              <VariablePicker onInsert={insertVariable} />
            </div>
          ) : null}
        </fieldset>
      )}

      <Field
        label="Notes for the rep"
        error={stepErrors?.description?.message}
        className="sm:col-span-6"
      >
        {(control) => (
          <Textarea
            {...control}
            {...form.register(path('description'))}
            rows={2}
            className="min-h-16"
            placeholder="What to do or say in this step (optional)"
          />
        )}
      </Field>
    </div>
  );
}
