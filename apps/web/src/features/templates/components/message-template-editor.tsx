import { templateWarnings, type KnownVariable } from '@forkflow/domain/message-template';
import { taskTypeLabels, taskTypes } from '@forkflow/domain/sequence-template';
import { zodResolver } from '@hookform/resolvers/zod';
import { TriangleAlert } from 'lucide-react';
import { useEffect, useRef, useState, type BaseSyntheticEvent } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { EnumSelect } from '@/components/ui/enum-select';
import { Field, FormErrorSummary, Input, Textarea } from '@/components/ui/form-field';
import { Switch } from '@/components/ui/switch';
import { useToastClearance } from '@/components/ui/toast';
import {
  messageTemplateInputSchema,
  type MessageTemplateFormValues,
  type MessageTemplateInput,
} from '../api/create-message-template';
import type { Rep } from '../types';
import { closestVariable } from '../utils/message-hints';
import { MessagePreview } from './message-preview';
import { VariablePicker } from '@/components/variable-picker';
import { insertAtCursor, placeCaret } from '@/lib/insert-at-cursor';

type Props = {
  defaultValues: MessageTemplateFormValues;
  reps: Rep[];
  onSubmit: (values: MessageTemplateInput) => void;
  onCancel: () => void;
  onDirtyChange?: (dirty: boolean) => void;
  submitLabel: string;
  isPending?: boolean;
  serverError?: string | null;
  readOnly?: boolean;
};

/**
 * A message template with a variable picker and a live preview for a chosen restaurant.
 * Saving asks once more when the text has placeholders no restaurant can fill.
 */
export function MessageTemplateEditor({
  defaultValues,
  reps,
  onSubmit,
  onCancel,
  onDirtyChange,
  submitLabel,
  isPending = false,
  serverError,
  readOnly = false,
}: Props) {
  const form = useForm<MessageTemplateFormValues, unknown, MessageTemplateInput>({
    resolver: zodResolver(messageTemplateInputSchema),
    defaultValues,
  });
  const { errors, isDirty } = form.formState;
  const toastClearance = useToastClearance();
  const contentRef = useRef<HTMLTextAreaElement | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const warningRef = useRef<HTMLDivElement>(null);
  // The exact text the writer chose to save despite its warnings.
  const acknowledged = useRef<string | null>(null);
  const warnedFor = useRef<string | null>(null);
  const [pendingWarnings, setPendingWarnings] = useState<string[] | null>(null);

  useEffect(() => {
    if (serverError) summaryRef.current?.focus();
  }, [serverError]);
  useEffect(() => {
    onDirtyChange?.(isDirty);
  }, [isDirty, onDirtyChange]);
  useEffect(() => {
    if (pendingWarnings) warningRef.current?.focus();
  }, [pendingWarnings]);

  const [type, subject, content] = useWatch({
    control: form.control,
    name: ['type', 'subject', 'message_content'],
  });
  const isEmail = type === 'email';

  const insertVariable = (variable: KnownVariable) => {
    const textarea = contentRef.current;
    const { value, caret } = insertAtCursor(
      textarea,
      form.getValues('message_content') ?? '',
      `{${variable}}`,
    );
    form.setValue('message_content', value, {
      shouldDirty: true,
      shouldValidate: form.formState.isSubmitted,
    });
    placeCaret(textarea, caret);
  };

  const onValid = (values: MessageTemplateInput) => {
    const text = `${values.subject ?? ''}\n${values.message_content}`;
    const warnings = templateWarnings(text).map((warning) => {
      const guess = closestVariable(warning.variable);
      return `{${warning.variable}} isn’t a variable Forkflow knows${guess ? ` (did you mean {${guess}}?)` : ''}: it would be sent as written.`;
    });
    if (warnings.length > 0 && acknowledged.current !== text) {
      warnedFor.current = text;
      setPendingWarnings(warnings);
      return;
    }
    setPendingWarnings(null);
    onSubmit(values);
  };
  // Built at event time: the handler reads refs, which must not happen during render.
  const submit = (event?: BaseSyntheticEvent) => form.handleSubmit(onValid)(event);

  const { ref: contentFieldRef, ...contentField } = form.register('message_content', {
    // Editing again after a warning means the warning has to be looked at afresh.
    onChange: () => setPendingWarnings(null),
  });

  return (
    <form noValidate aria-label={submitLabel} onSubmit={submit} className="space-y-6">
      {serverError ? (
        <div ref={summaryRef} tabIndex={-1} className="outline-none">
          <FormErrorSummary title="The template wasn't saved" messages={[serverError]} />
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] xl:grid-cols-[minmax(0,1fr)_26rem]">
        <fieldset
          disabled={readOnly}
          className="min-w-0 space-y-5 rounded-xl bg-white px-5 py-5 shadow-xs ring-1 ring-slate-200"
        >
          <div className="grid grid-cols-1 gap-5 sm:grid-cols-3">
            <Field label="Name" error={errors.name?.message} required className="sm:col-span-2">
              {(control) => (
                <Input
                  {...control}
                  {...form.register('name')}
                  autoFocus={!defaultValues.name}
                  autoComplete="off"
                  placeholder="e.g. Demo confirmation"
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
          </div>
          <Field label="Description" error={errors.description?.message}>
            {(control) => (
              <Input
                {...control}
                {...form.register('description')}
                placeholder="When to use it (optional)"
              />
            )}
          </Field>
          {isEmail ? (
            <Field label="Subject" error={errors.subject?.message}>
              {(control) => (
                <Input
                  {...control}
                  {...form.register('subject', { onChange: () => setPendingWarnings(null) })}
                  placeholder="e.g. Your demo with {rep_first_name}"
                />
              )}
            </Field>
          ) : null}
          <Field
            label="Message"
            error={errors.message_content?.message}
            required
            hint="Placeholders are filled for each restaurant. Add a fallback after a bar for when a value is missing: {contact_first_name|there}."
          >
            {(control) => (
              <Textarea
                {...control}
                {...contentField}
                ref={(element) => {
                  contentFieldRef(element);
                  contentRef.current = element;
                }}
                rows={10}
                className="font-mono text-[13px]"
                placeholder={'Hi {contact_first_name|there},\n\n…'}
              />
            )}
          </Field>
          <VariablePicker onInsert={insertVariable} disabled={readOnly} />
          <div className="flex items-center gap-3 border-t border-slate-100 pt-4">
            <Controller
              control={form.control}
              name="is_active"
              render={({ field }) => (
                <Switch
                  checked={field.value}
                  onCheckedChange={field.onChange}
                  onBlur={field.onBlur}
                  aria-labelledby="message-template-active-label"
                />
              )}
            />
            <span id="message-template-active-label" className="text-sm text-slate-700">
              Active: offered when choosing a message
            </span>
          </div>
        </fieldset>

        <aside className="min-w-0 lg:sticky lg:top-6 lg:self-start">
          <MessagePreview
            subject={isEmail ? (subject ?? '') : null}
            content={content ?? ''}
            reps={reps}
          />
        </aside>
      </div>

      {pendingWarnings ? (
        <div
          ref={warningRef}
          tabIndex={-1}
          role="alert"
          className="rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 outline-none"
        >
          <p className="flex items-center gap-2 font-medium">
            <TriangleAlert className="size-4" aria-hidden />
            Check the placeholders before saving
          </p>
          <ul className="mt-1 list-disc space-y-0.5 pl-6">
            {pendingWarnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                acknowledged.current = warnedFor.current;
                // Submit again now that the warnings are accepted.
                void submit();
              }}
            >
              Save anyway
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setPendingWarnings(null);
                contentRef.current?.focus();
              }}
            >
              Fix the message
            </Button>
          </div>
        </div>
      ) : null}

      {readOnly ? null : (
        <div
          ref={toastClearance}
          className="sticky bottom-0 z-20 -mx-4 border-t border-slate-200 bg-white/95 backdrop-blur sm:-mx-6 lg:-mx-8"
        >
          <div className="flex flex-wrap items-center justify-end gap-3 px-4 py-3 sm:px-6 lg:px-8">
            <p className="mr-auto text-sm text-slate-600 max-sm:hidden" aria-live="polite">
              {isDirty ? 'Unsaved changes' : 'No changes yet'}
            </p>
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" isLoading={isPending}>
              {submitLabel}
            </Button>
          </div>
        </div>
      )}
    </form>
  );
}
