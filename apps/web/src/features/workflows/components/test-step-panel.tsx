import { FlaskConical } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Textarea } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import { testStepSampleSchema, useTestStep } from '../api/test-step';

const DEFAULT_SAMPLE = JSON.stringify({ job_input: {}, steps: {} }, null, 2);

const pretty = (value: unknown) => JSON.stringify(value, null, 2) ?? 'null';

type Props = {
  organisationId: string;
  /** The step as the definition holds it: { transformer_id, input_map?, output_map?, config? }. */
  step: Record<string, unknown>;
  /** Its id in the workflow, for an output_map reading $.<id>.output. */
  stepId?: string;
};

/**
 * "Test this step" for the step editor: runs the step's executor on a sample (test-step) and
 * shows the input its input_map made, and the output or the error. Nothing is recorded. For
 * owners and admins (the function refuses members); the step editor mounts it.
 */
export function TestStepPanel({ organisationId, step, stepId }: Props) {
  const [sample, setSample] = useState(DEFAULT_SAMPLE);
  const test = useTestStep();
  const resultId = useId();
  const parsed = testStepSampleSchema.safeParse(sample);
  const sampleError = parsed.success ? undefined : parsed.error.issues[0]?.message;
  const result = test.data;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.success) return;
    test.mutate({ organisationId, stepId, step, sample });
  };

  return (
    <section aria-label="Test this step" className="space-y-3">
      <form onSubmit={onSubmit} noValidate className="space-y-3">
        <Field
          label="Sample input (JSON)"
          error={sampleError}
          hint="job_input is the job's input; steps holds earlier steps' outputs by id; variables the project's."
        >
          {(control) => (
            <Textarea
              {...control}
              rows={6}
              className="font-mono text-sm"
              value={sample}
              onChange={(event) => setSample(event.target.value)}
              spellCheck={false}
            />
          )}
        </Field>
        <Button
          type="submit"
          variant="secondary"
          isLoading={test.isPending}
          disabled={!parsed.success || typeof step.transformer_id !== 'string'}
          aria-describedby={result || test.error ? resultId : undefined}
        >
          <FlaskConical className="size-4" aria-hidden />
          Run test
        </Button>
      </form>

      <div id={resultId} aria-live="polite" className="space-y-3">
        {test.isPending ? <p className="text-sm text-slate-600">Running the step…</p> : null}
        {test.error ? (
          <p role="alert" className="text-sm text-red-700">
            {getErrorMessage(test.error)}
          </p>
        ) : null}
        {result && !test.isPending ? (
          <>
            <Output label="Input the step got" value={result.input} />
            {result.missing_inputs?.length ? (
              <p className="text-sm text-amber-800">
                Matched nothing:{' '}
                {result.missing_inputs.map((m) => `${m.key} (${m.path})`).join(', ')}
              </p>
            ) : null}
            {result.error ? (
              <div role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
                <p className="font-medium">
                  The step failed: {result.error.code}
                  {result.error.retryable ? ' (a job would retry it)' : ' (not retried)'}
                </p>
                <p>{result.error.message}</p>
              </div>
            ) : (
              <Output label="Output" value={result.output} />
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}

function Output({ label, value }: { label: string; value: unknown }) {
  return (
    <figure aria-label={label} className="space-y-1">
      <figcaption className="text-sm font-medium text-slate-800">{label}</figcaption>
      <pre className="max-h-64 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200">
        {pretty(value)}
      </pre>
    </figure>
  );
}
