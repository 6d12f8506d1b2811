import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { EnumSelect } from '@/components/ui/enum-select';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import { SearchPicker, type SearchPickerOption } from '@/components/ui/search-picker';
import {
  createTaskInputSchema,
  type CreateTaskFormValues,
  type CreateTaskInput,
} from '../api/create-task';
import type { TaskTemplateOption } from '../api/queries';
import {
  taskPriorities,
  taskPriorityLabels,
  taskTypeLabels,
  taskTypes,
} from '@forkflow/domain/sequence-template';
import { type Assignee } from '../types';
import { browserTimeZone } from '../utils/dates';

/** How the form finds restaurants: searched as you type (an organisation may have 100,000). */
export type RestaurantSearch = {
  search: (query: string, limit: number, signal: AbortSignal) => Promise<SearchPickerOption[]>;
  queryKey: readonly unknown[];
  /** The name of the restaurant `defaultValues` names, when the caller knows it. */
  selectedLabel?: string | undefined;
};

type Props = {
  defaultValues: CreateTaskFormValues;
  restaurants: RestaurantSearch;
  templates: TaskTemplateOption[];
  assignees: Assignee[];
  currentUserId: string;
  onSubmit: (values: CreateTaskFormValues) => void;
  onCancel: () => void;
  isPending?: boolean;
  serverError?: string | null;
};

/** The ad-hoc task form; validation is the mutation's schema. */
export function TaskForm({
  defaultValues,
  restaurants,
  templates,
  assignees,
  currentUserId,
  onSubmit,
  onCancel,
  isPending = false,
  serverError,
}: Props) {
  const form = useForm<CreateTaskFormValues, unknown, CreateTaskInput>({
    resolver: zodResolver(createTaskInputSchema),
    defaultValues,
  });
  const { errors } = form.formState;
  const summaryRef = useRef<HTMLDivElement>(null);
  // The members list may still be loading: "you" is always a choice.
  const people = assignees.some((assignee) => assignee.id === currentUserId)
    ? assignees
    : [{ id: currentUserId, name: 'You' }, ...assignees];
  const type = useWatch({ control: form.control, name: 'type' });
  const restaurantId = useWatch({ control: form.control, name: 'restaurant_id' });
  // The name of a restaurant picked here (the caller's label covers the preselected one).
  const [pickedLabel, setPickedLabel] = useState<string>();
  const templateId = useWatch({ control: form.control, name: 'task_template_id' });

  useEffect(() => {
    if (serverError) summaryRef.current?.focus();
  }, [serverError]);

  // Choosing a template fills in what it knows; the rep can still change any of it.
  const applyTemplate = (templateId: string) => {
    const template = templates.find((item) => item.id === templateId);
    form.setValue('task_template_id', templateId);
    if (!template) {
      form.setValue('message_template_id', '');
      return;
    }
    const set = (name: keyof CreateTaskFormValues, value: string) =>
      form.setValue(name, value, { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
    if (!form.getValues('name').trim()) set('name', template.name);
    set('type', template.type);
    set('priority', template.priority);
    set('message_template_id', template.message_template_id ?? '');
    const message = template.default_message ?? template.message_template?.message_content ?? '';
    if (message) set('message', message);
    if (template.message_template?.subject) set('subject', template.message_template.subject);
    if (template.description && !form.getValues('description')) {
      set('description', template.description);
    }
  };

  return (
    <form
      noValidate
      aria-label="Add task"
      className="flex min-h-0 flex-1 flex-col"
      // The form holds strings; the mutation parses them with the same schema.
      onSubmit={form.handleSubmit(() => onSubmit(form.getValues()))}
    >
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 py-5 sm:px-6">
        {serverError ? (
          <div ref={summaryRef} tabIndex={-1} className="outline-none">
            <FormErrorSummary title="The task wasn't added" messages={[serverError]} />
          </div>
        ) : null}

        {templates.length > 0 ? (
          <Field label="Start from a template" hint="Fills in the type, priority and message.">
            {(control) => (
              <Select
                {...control}
                value={templateId ?? ''}
                onChange={(event) => applyTemplate(event.target.value)}
              >
                <option value="">No template</option>
                {templates.map((template) => (
                  <option key={template.id} value={template.id}>
                    {template.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}

        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="Name" error={errors.name?.message} required className="sm:col-span-2">
            {(control) => (
              <Input {...control} {...form.register('name')} autoFocus autoComplete="off" />
            )}
          </Field>
          <Field label="Restaurant" error={errors.restaurant_id?.message} className="sm:col-span-2">
            {(control) => (
              <SearchPicker
                id={control.id}
                label="Restaurant"
                allLabel="None (an internal task)"
                placeholder="Restaurant name starts with…"
                value={restaurantId ?? ''}
                selectedLabel={pickedLabel ?? restaurants.selectedLabel}
                queryKey={restaurants.queryKey}
                search={restaurants.search}
                onChange={(value, option) => {
                  setPickedLabel(option?.label);
                  form.setValue('restaurant_id', value, { shouldDirty: true });
                }}
              />
            )}
          </Field>
          <Field label="Type" error={errors.type?.message}>
            {(control) => (
              <EnumSelect
                {...control}
                {...form.register('type')}
                values={taskTypes}
                labels={taskTypeLabels}
              />
            )}
          </Field>
          <Field label="Priority" error={errors.priority?.message}>
            {(control) => (
              <EnumSelect
                {...control}
                {...form.register('priority')}
                values={taskPriorities}
                labels={taskPriorityLabels}
              />
            )}
          </Field>
          <Field
            label="Due"
            error={errors.due_date?.message}
            hint={`Your time (${browserTimeZone()}). Leave empty for no due date.`}
          >
            {(control) => (
              <Input {...control} {...form.register('due_date')} type="datetime-local" />
            )}
          </Field>
          <Field label="Assign to" error={errors.assigned_to?.message}>
            {(control) => (
              <Select {...control} {...form.register('assigned_to')}>
                <option value="">Nobody yet</option>
                {people.map((assignee) => (
                  <option key={assignee.id} value={assignee.id}>
                    {assignee.id === currentUserId ? `${assignee.name} (you)` : assignee.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>

        {type === 'email' ? (
          <Field label="Subject" error={errors.subject?.message}>
            {(control) => <Input {...control} {...form.register('subject')} autoComplete="off" />}
          </Field>
        ) : null}
        <Field
          label="Message"
          error={errors.message?.message}
          hint="Placeholders such as {contact_first_name} are filled in for the restaurant."
        >
          {(control) => <Textarea {...control} {...form.register('message')} rows={5} />}
        </Field>
        <Field label="Notes" error={errors.description?.message}>
          {(control) => <Textarea {...control} {...form.register('description')} rows={2} />}
        </Field>
      </div>

      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={isPending}>
          Add task
        </Button>
      </div>
    </form>
  );
}
