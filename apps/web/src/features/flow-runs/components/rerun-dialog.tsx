import { SECRET_MASK, type ResolvedValue } from '@forkflow/domain/flows/schemas';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormErrorSummary, Input } from '@/components/ui/form-field';
import { FunctionError } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { valueText } from '../utils/run-format';

/** The text a field starts with: strings as they are, other values as JSON, secrets empty. */
const initialText = (resolved: ResolvedValue) =>
  resolved.secret
    ? ''
    : typeof resolved.value === 'string'
      ? resolved.value
      : valueText(resolved.value);

/**
 * The edited inputs: only the fields changed (the server keeps the others, secrets included).
 * A field whose last value was not a string is read as JSON.
 */
export function editedInputs(
  inputs: Record<string, ResolvedValue>,
  texts: Record<string, string>,
): { inputs: Record<string, unknown>; errors: string[] } {
  const edited: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [name, resolved] of Object.entries(inputs)) {
    const text = texts[name] ?? initialText(resolved);
    if (text === initialText(resolved)) continue;
    if (resolved.secret || typeof resolved.value === 'string') {
      edited[name] = text;
      continue;
    }
    try {
      edited[name] = JSON.parse(text);
    } catch {
      errors.push(`${name}: write a JSON value (e.g. 42, true, {"a": 1})`);
    }
  }
  return { inputs: edited, errors };
}

/** "Re-run this flow": its last inputs, editable; only changes are sent. */
export function RerunDialog({
  open,
  onOpenChange,
  flowId,
  inputs,
  isPending,
  error,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  flowId: string;
  inputs: Record<string, ResolvedValue>;
  isPending: boolean;
  error: Error | null;
  onSubmit: (edited: Record<string, unknown> | undefined) => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Re-run ${flowId}`}
      description="With the same inputs, or change some. Only what you change is sent; a secret stays as it was unless you type a new value."
      size="lg"
    >
      <RerunForm
        flowId={flowId}
        inputs={inputs}
        isPending={isPending}
        error={error}
        onCancel={() => onOpenChange(false)}
        onSubmit={onSubmit}
      />
    </Dialog>
  );
}

function RerunForm({
  flowId,
  inputs,
  isPending,
  error,
  onCancel,
  onSubmit,
}: {
  flowId: string;
  inputs: Record<string, ResolvedValue>;
  isPending: boolean;
  error: Error | null;
  onCancel: () => void;
  onSubmit: (edited: Record<string, unknown> | undefined) => void;
}) {
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const entries = Object.entries(inputs);
  const serverMessages =
    error instanceof FunctionError && error.details.length > 0
      ? error.details.map((detail) => `${detail.path ? `${detail.path}: ` : ''}${detail.message}`)
      : error
        ? [getErrorMessage(error)]
        : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = editedInputs(inputs, texts);
    setErrors(result.errors);
    if (result.errors.length > 0) return;
    onSubmit(Object.keys(result.inputs).length > 0 ? result.inputs : undefined);
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-label={`Inputs of ${flowId}`}>
      <FormErrorSummary title="Fix these to re-run" messages={[...errors, ...serverMessages]} />
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">This flow had no inputs: it runs again as it did.</p>
      ) : (
        entries.map(([name, resolved]) => (
          <div key={name} className="space-y-1.5">
            <label
              htmlFor={`rerun-${name}`}
              className="block font-mono text-sm font-medium text-slate-800"
            >
              {name}
            </label>
            <Input
              id={`rerun-${name}`}
              value={texts[name] ?? initialText(resolved)}
              placeholder={resolved.secret ? `${SECRET_MASK} (unchanged)` : undefined}
              className={typeof resolved.value === 'string' ? undefined : 'font-mono'}
              onChange={(event) => setTexts({ ...texts, [name]: event.target.value })}
            />
          </div>
        ))
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={isPending}>
          Re-run {flowId}
        </Button>
      </div>
    </form>
  );
}
