import type { FieldRule, FieldSchema } from '@forkflow/domain/field-schema';
import type { FileRef } from '@forkflow/domain/file-ref';
import type { KeyboardEvent } from 'react';
import { Field, Input, Select, Textarea } from '@/components/ui/form-field';
import { Switch } from '@/components/ui/switch';
import { FileField, type FileUploader } from './file-field';
import { readFields, type FieldDraft, type FieldDrafts } from './read-fields';

type Props = {
  fields: readonly FieldSchema[];
  /** Each field's draft (draftsFromValue); readFields turns them into the value. */
  value: FieldDrafts;
  onChange: (value: FieldDrafts, changed: string) => void;
  /** Cross-field rules: used for the errors shown when the caller passes none. */
  rules?: readonly FieldRule[];
  /**
   * Field name → message, shown at the field (the caller decides when: touched, submitted).
   * Absent: every problem readFields finds, shown as you type.
   */
  errors?: Readonly<Record<string, string | undefined>>;
  /** Where file fields upload (the path's first folder). */
  organisationId: string;
  /** Placeholder values shown for blank fields (a transformer's preset under a step's config). */
  placeholders?: Readonly<Record<string, unknown>>;
  autoFocusFirst?: boolean;
  /** Replaces the Storage upload (tests). */
  upload?: FileUploader;
  /** Ctrl/⌘+Enter in a JSON field (the Run dialog submits with it). */
  onSubmitShortcut?: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
};

/**
 * Typed fields (issue 12 §3): one control per FieldSchema — text (email/url/date inputs for a
 * format), number with its range, a switch, a select for an enum, a JSON editor for objects and
 * arrays, a file picker uploading to Storage — each labelled, marked when required, described
 * by its hint and its error. The same component renders a step's config and a run's inputs.
 */
export function TypedFields({
  fields,
  value,
  onChange,
  rules,
  errors,
  organisationId,
  placeholders = {},
  autoFocusFirst = false,
  upload,
  onSubmitShortcut,
}: Props) {
  const shownErrors =
    errors ?? readFields(fields, value, { rules: rules ?? [], organisationId }).errors;
  return (
    <div className="space-y-4">
      {fields.map((field, index) => (
        <TypedField
          key={field.name}
          field={field}
          draft={value[field.name] ?? null}
          error={shownErrors[field.name]}
          placeholder={placeholders[field.name]}
          autoFocus={autoFocusFirst && index === 0}
          organisationId={organisationId}
          upload={upload}
          onSubmitShortcut={onSubmitShortcut}
          onChange={(draft) => onChange({ ...value, [field.name]: draft }, field.name)}
        />
      ))}
    </div>
  );
}

const typeWords: Record<FieldSchema['type'], string> = {
  string: 'Text',
  number: 'A number',
  integer: 'A whole number',
  boolean: 'On or off',
  object: 'A JSON object',
  array: 'A JSON array',
  file: 'A file',
};

/** The hint under a field: its type and limits in words, then its description. */
export function fieldHint(field: FieldSchema): string {
  const parts: string[] = [];
  if (field.type === 'string' && field.format === 'date') parts.push('A date');
  else if (field.type === 'string' && field.format === 'email') parts.push('An email address');
  else if (field.type === 'string' && field.format === 'url') parts.push('A URL');
  else if (!field.enum) parts.push(typeWords[field.type]);
  if (field.minimum !== undefined && field.maximum !== undefined)
    parts.push(`from ${field.minimum} to ${field.maximum}`);
  else if (field.minimum !== undefined) parts.push(`at least ${field.minimum}`);
  else if (field.maximum !== undefined) parts.push(`at most ${field.maximum}`);
  if (field.type === 'file' && field.accept) parts.push(field.accept);
  if (field.pattern) parts.push(`matching ${field.pattern}`);
  if (field.description) parts.push(field.description);
  return parts.join(' · ');
}

const shown = (value: unknown): string | undefined =>
  value === undefined || value === null
    ? undefined
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

function TypedField({
  field,
  draft,
  error,
  placeholder,
  autoFocus,
  organisationId,
  upload,
  onSubmitShortcut,
  onChange,
}: {
  field: FieldSchema;
  draft: FieldDraft;
  error: string | undefined;
  placeholder: unknown;
  autoFocus: boolean;
  organisationId: string;
  upload: FileUploader | undefined;
  onSubmitShortcut: ((event: KeyboardEvent<HTMLTextAreaElement>) => void) | undefined;
  onChange: (draft: FieldDraft) => void;
}) {
  const text = typeof draft === 'string' ? draft : '';
  const hint = fieldHint(field);
  return (
    <Field
      label={field.title ?? field.name}
      required={field.required ?? false}
      hint={hint || undefined}
      error={error}
    >
      {(control) => {
        if (field.type === 'file') {
          return (
            <FileField
              field={field}
              value={draft !== null && typeof draft === 'object' ? (draft as FileRef) : null}
              onChange={onChange}
              organisationId={organisationId}
              control={control}
              upload={upload}
              autoFocus={autoFocus}
            />
          );
        }
        if (field.type === 'boolean') {
          return (
            <Switch
              {...control}
              checked={draft === true || (draft === null && placeholder === true)}
              onCheckedChange={onChange}
              autoFocus={autoFocus}
            />
          );
        }
        if (field.enum) {
          return (
            <Select
              {...control}
              value={text}
              onChange={(event) => onChange(event.target.value)}
              autoFocus={autoFocus}
            >
              <option value="">
                {placeholder !== undefined ? `Preset: ${shown(placeholder)}` : 'Not set'}
              </option>
              {field.enum.map((option) => (
                <option key={String(option)} value={String(option)}>
                  {String(option)}
                </option>
              ))}
            </Select>
          );
        }
        if (field.type === 'number' || field.type === 'integer') {
          return (
            <Input
              {...control}
              type="number"
              step={field.type === 'integer' ? 1 : 'any'}
              inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
              min={field.minimum}
              max={field.maximum}
              value={text}
              placeholder={shown(placeholder)}
              onChange={(event) => onChange(event.target.value)}
              autoFocus={autoFocus}
            />
          );
        }
        if (field.type === 'string') {
          return (
            <Input
              {...control}
              type={
                field.format === 'email'
                  ? 'email'
                  : field.format === 'url'
                    ? 'url'
                    : field.format === 'date'
                      ? 'date'
                      : 'text'
              }
              value={text}
              placeholder={shown(placeholder)}
              onChange={(event) => onChange(event.target.value)}
              autoFocus={autoFocus}
            />
          );
        }
        return (
          <Textarea
            {...control}
            value={text}
            rows={4}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            placeholder={shown(placeholder) ?? (field.type === 'array' ? '[]' : '{}')}
            onChange={(event) => onChange(event.target.value)}
            onKeyDown={onSubmitShortcut}
            autoFocus={autoFocus}
            className="font-mono text-[13px] leading-5"
          />
        );
      }}
    </Field>
  );
}
