import {
  taskPriorities,
  taskPriorityLabels,
  taskTypeLabels,
  taskTypes,
} from '@forkflow/domain/sequence-template';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { EnumSelect } from '@/components/ui/enum-select';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import { Switch } from '@/components/ui/switch';
import { useCurrentOrganisation } from '@/lib/organisation';
import {
  taskTemplateInputSchema,
  type TaskTemplateFormValues,
  type TaskTemplateInput,
} from '../api/create-task-template';
import { templateQueries } from '../api/queries';

type Props = {
  defaultValues: TaskTemplateFormValues;
  onSubmit: (values: TaskTemplateInput) => void;
  onCancel: () => void;
  submitLabel: string;
  isPending?: boolean;
  serverError?: string | null;
};

/** A reusable task: what it is, how urgent, and what to send. */
export function TaskTemplateForm({
  defaultValues,
  onSubmit,
  onCancel,
  submitLabel,
  isPending = false,
  serverError,
}: Props) {
  const organisation = useCurrentOrganisation();
  const messageTemplates = useQuery(templateQueries.messageTemplates(organisation.id));
  const form = useForm<TaskTemplateFormValues, unknown, TaskTemplateInput>({
    resolver: zodResolver(taskTemplateInputSchema),
    defaultValues,
  });
  const { errors } = form.formState;
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (serverError) summaryRef.current?.focus();
  }, [serverError]);

  const messageTemplateId = useWatch({ control: form.control, name: 'message_template_id' });
  const choices = (messageTemplates.data ?? []).filter(
    (template) => template.is_active || template.id === messageTemplateId,
  );

  return (
    <form
      noValidate
      aria-label={submitLabel}
      className="flex min-h-0 flex-1 flex-col"
      onSubmit={form.handleSubmit(onSubmit)}
    >
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 py-5 sm:px-6">
        {serverError ? (
          <div ref={summaryRef} tabIndex={-1} className="outline-none">
            <FormErrorSummary title="The template wasn't saved" messages={[serverError]} />
          </div>
        ) : null}
        <Field label="Name" error={errors.name?.message} required>
          {(control) => (
            <Input
              {...control}
              {...form.register('name')}
              autoFocus
              autoComplete="off"
              placeholder="e.g. Intro call"
            />
          )}
        </Field>
        <div className="grid grid-cols-1 gap-5 sm:grid-cols-2">
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
        </div>
        <Field label="Description" error={errors.description?.message}>
          {(control) => (
            <Textarea
              {...control}
              {...form.register('description')}
              rows={2}
              className="min-h-16"
              placeholder="What the rep should do"
            />
          )}
        </Field>
        <Field
          label="Message template"
          error={errors.message_template_id?.message}
          hint="Its message is filled in for the restaurant when a task is made from this template."
        >
          {(control) => (
            <Select
              {...control}
              {...form.register('message_template_id')}
              disabled={messageTemplates.isPending}
            >
              <option value="">None</option>
              {choices.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                  {template.is_active ? '' : ' (inactive)'}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {messageTemplateId ? null : (
          <Field
            label="Default message"
            error={errors.default_message?.message}
            hint="Used when no message template is chosen. Placeholders like {restaurant_name} work here too."
          >
            {(control) => <Textarea {...control} {...form.register('default_message')} rows={4} />}
          </Field>
        )}
        <div className="flex items-center gap-3">
          <Controller
            control={form.control}
            name="is_active"
            render={({ field }) => (
              <Switch
                checked={field.value}
                onCheckedChange={field.onChange}
                onBlur={field.onBlur}
                aria-labelledby="task-template-active-label"
              />
            )}
          />
          <span id="task-template-active-label" className="text-sm text-slate-700">
            Active: offered when creating tasks and steps
          </span>
        </div>
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
