import { useMutation } from '@tanstack/react-query';
import { invokeFunction } from '@/lib/edge-functions';
import { jsonObjectFromText } from '@/lib/json-object';
import type { MutationConfig } from '@/lib/react-query';

/**
 * The sample a step is tested on, as text: `{ job_input?, steps?: { <id>: output },
 * variables? }` — what the step's input_map reads as $.job_input, $.<id>.output, $.variables.
 */
export const testStepSampleSchema = jsonObjectFromText({
  invalid: (reason) => `Not valid JSON: ${reason}`,
  notObject: 'The sample must be a JSON object, like {"job_input": {"payload": 1}}',
}).superRefine((sample, ctx) => {
  for (const key of Object.keys(sample))
    if (!['job_input', 'steps', 'variables'].includes(key))
      ctx.addIssue({
        code: 'custom',
        message: `Unknown key "${key}": a sample has job_input, steps and variables`,
      });
});

export type TestStepResult = {
  input: unknown;
  output?: unknown;
  error?: { code: string; message: string; retryable?: boolean };
  missing_inputs?: { key: string; path: string }[];
  unmatched_outputs?: { key: string; path: string }[];
};

/** Runs one step's executor on a sample (test-step): nothing is recorded, no job is made. */
export async function testStep({
  organisationId,
  stepId,
  step,
  sample,
}: {
  organisationId: string;
  stepId?: string | undefined;
  step: Record<string, unknown>;
  sample: string;
}): Promise<TestStepResult> {
  const parsed = testStepSampleSchema.parse(sample);
  return invokeFunction<TestStepResult>('test-step', {
    body: {
      organisation_id: organisationId,
      ...(stepId ? { step_id: stepId } : {}),
      step,
      sample: parsed,
    },
  });
}

export function useTestStep({
  mutationConfig,
}: { mutationConfig?: MutationConfig<typeof testStep> } = {}) {
  return useMutation({ ...mutationConfig, mutationFn: testStep });
}
