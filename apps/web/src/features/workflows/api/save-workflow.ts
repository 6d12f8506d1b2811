import { DEFAULT_RETRY_POLICY, RETRY_POLICY_LIMITS } from '@forkflow/domain/backoff';
import { WORKFLOW_KEY_PATTERN } from '@forkflow/domain/ids';
import { validateWorkflowDefinition } from '@forkflow/domain/workflow-definition';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { FunctionError, invokeFunction } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { jsonObjectFromText } from '@/lib/json-object';
import type { MutationConfig } from '@/lib/react-query';
import { prettyDefinition } from '../utils/analyse-definition';
import { formatJsonPath } from '../utils/json-locations';
import { workflowQueries, type Workflow } from './queries';

const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value && value.trim() ? value.trim() : null));

const wholeNumber = (label: string, { min, max }: { min: number; max: number }) =>
  z
    .number({ error: `Enter ${label} as a number` })
    .int(`${label[0]?.toUpperCase()}${label.slice(1)} is a whole number`)
    .min(min, `At least ${min.toLocaleString('en-GB')}`)
    .max(max, `At most ${max.toLocaleString('en-GB')}`);

/**
 * What a person sets on a workflow: shared by the editor (zodResolver) and the mutation.
 * The definition is edited as text and sent parsed; the retry policy's bounds are the
 * domain's (packages/domain/src/backoff.ts).
 */
export const workflowInputSchema = z
  .object({
    key: z
      .string()
      .trim()
      .min(1, 'Give the workflow a key')
      .regex(
        WORKFLOW_KEY_PATTERN,
        'Lower-case letters, digits, - and _ (starting with a letter or digit), up to 63 characters',
      ),
    name: z.string().trim().min(1, 'Name the workflow').max(120, 'At most 120 characters'),
    description: optionalText(2000, 'The description'),
    definition: jsonObjectFromText({
      empty: 'Write the definition (or use the example)',
      invalid: () => 'The definition is not valid JSON',
      notObject: 'The definition must be a JSON object',
    }),
    max_retries: wholeNumber('the number of retries', RETRY_POLICY_LIMITS.max_retries),
    base_ms: wholeNumber('the first delay', RETRY_POLICY_LIMITS.base_ms),
    factor: z
      .number({ error: 'Enter the factor as a number' })
      .min(RETRY_POLICY_LIMITS.factor.min, `At least ${RETRY_POLICY_LIMITS.factor.min}`)
      .max(RETRY_POLICY_LIMITS.factor.max, `At most ${RETRY_POLICY_LIMITS.factor.max}`),
    cap_ms: wholeNumber('the longest delay', RETRY_POLICY_LIMITS.cap_ms),
    jitter: z.enum(['full', 'none']),
    change_description: optionalText(500, 'The change description'),
  })
  .refine((values) => values.cap_ms >= values.base_ms, {
    message: 'The longest delay must be at least the first delay',
    path: ['cap_ms'],
  })
  .transform(({ max_retries, base_ms, factor, cap_ms, jitter, ...rest }) => ({
    ...rest,
    retry_policy: { max_retries, base_ms, factor, cap_ms, jitter },
  }));

export type WorkflowFormValues = z.input<typeof workflowInputSchema>;
export type WorkflowInput = z.output<typeof workflowInputSchema>;

/** The editor's schema: the same, plus the definition checked as save-workflow will. */
export function workflowInputSchemaFor(knownTransformerIds: readonly string[] | null) {
  return workflowInputSchema.superRefine((values, ctx) => {
    const result = validateWorkflowDefinition(values.definition, {
      knownTransformerIds: knownTransformerIds ?? [],
    });
    if (result.ok) return;
    const errors =
      knownTransformerIds === null
        ? result.errors.filter((error) => error.code !== 'unknown_transformer')
        : result.errors;
    if (errors.length === 0) return;
    ctx.addIssue({
      code: 'custom',
      path: ['definition'],
      message:
        errors.length === 1
          ? `Fix the problem at ${formatJsonPath(errors[0]?.path ?? [])} first`
          : `Fix the ${errors.length} problems listed below the definition first`,
    });
  });
}

export const emptyWorkflowFormValues: WorkflowFormValues = {
  key: '',
  name: '',
  description: '',
  definition: '',
  max_retries: DEFAULT_RETRY_POLICY.max_retries,
  base_ms: DEFAULT_RETRY_POLICY.base_ms,
  factor: DEFAULT_RETRY_POLICY.factor,
  cap_ms: DEFAULT_RETRY_POLICY.cap_ms,
  jitter: DEFAULT_RETRY_POLICY.jitter,
  change_description: '',
};

/** The form's values for an existing workflow (an empty policy means the defaults). */
export function toWorkflowFormValues(workflow: Workflow): WorkflowFormValues {
  const policy = (workflow.retry_policy ?? {}) as Partial<Record<string, unknown>>;
  const number = (key: string, fallback: number) =>
    typeof policy[key] === 'number' ? policy[key] : fallback;
  return {
    key: workflow.key,
    name: workflow.name,
    description: workflow.description ?? '',
    // As written, not in jsonb's key order (definition-order.ts).
    definition: prettyDefinition(workflow.definition),
    max_retries: number('max_retries', DEFAULT_RETRY_POLICY.max_retries),
    base_ms: number('base_ms', DEFAULT_RETRY_POLICY.base_ms),
    factor: number('factor', DEFAULT_RETRY_POLICY.factor),
    cap_ms: number('cap_ms', DEFAULT_RETRY_POLICY.cap_ms),
    jitter: policy['jitter'] === 'none' ? 'none' : 'full',
    change_description: '',
  };
}

type SavedWorkflow = Workflow;

/**
 * Creates (no workflowId) or saves a new version through the save-workflow edge function,
 * which validates with packages/domain and checks `expectedVersion` (409 when someone
 * saved in between).
 */
export async function saveWorkflow({
  organisationId,
  workflowId,
  expectedVersion,
  restoredFrom,
  data,
}: {
  organisationId: string;
  workflowId?: string | undefined;
  expectedVersion?: number | undefined;
  /** The version a restore brings back: recorded on the new version (restored_from). */
  restoredFrom?: number | undefined;
  data: WorkflowFormValues;
}): Promise<SavedWorkflow> {
  const input = workflowInputSchema.parse(data);
  const result = await invokeFunction<SavedWorkflow | { workflow: SavedWorkflow }>(
    'save-workflow',
    {
      body: {
        organisation_id: organisationId,
        ...(workflowId ? { workflow_id: workflowId } : {}),
        key: input.key,
        name: input.name,
        description: input.description,
        definition: input.definition,
        retry_policy: input.retry_policy,
        change_description: input.change_description,
        ...(expectedVersion !== undefined ? { expected_version: expectedVersion } : {}),
        ...(restoredFrom !== undefined ? { restored_from: restoredFrom } : {}),
      },
    },
  );
  return 'workflow' in result ? result.workflow : result;
}

export type SaveWorkflowProblem = {
  title: string;
  messages: string[];
  /** Someone else saved a newer version meanwhile. */
  conflict: boolean;
};

const sentence = (text: string) => {
  const trimmed = text.trim().replace(/[.]$/, '');
  return trimmed ? `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}.` : '';
};

/** The server's refusal, in words a person can act on. */
export function describeSaveWorkflowError(error: unknown): SaveWorkflowProblem {
  const title = "The workflow wasn't saved";
  if (error instanceof FunctionError) {
    if (error.status === 409 && error.code !== 'key_taken') {
      return {
        title: 'Someone else saved this workflow while you were editing',
        messages: [
          `${sentence(error.message)} Your changes are still in the form: copy the definition, reload to get the latest version, then apply your changes again.`,
        ],
        conflict: true,
      };
    }
    if (error.code === 'key_taken') {
      return {
        title,
        messages: [`${sentence(error.message)} Choose another key.`],
        conflict: false,
      };
    }
    if (error.details.length > 0) {
      return {
        title,
        messages: error.details.map((detail) =>
          detail.path ? `${detail.path}: ${detail.message}` : detail.message,
        ),
        conflict: false,
      };
    }
    return { title, messages: [sentence(error.message)], conflict: false };
  }
  return { title, messages: [getErrorMessage(error)], conflict: false };
}

export function useSaveWorkflow({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveWorkflow>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveWorkflow,
    onSuccess: async (workflow, ...args) => {
      queryClient.setQueryData(
        workflowQueries.detail(organisationId, workflow.id).queryKey,
        workflow,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: workflowQueries.lists(organisationId) }),
        queryClient.invalidateQueries({
          queryKey: workflowQueries.versions(organisationId, workflow.id).queryKey,
        }),
      ]);
      return onSuccess?.(workflow, ...args);
    },
  });
}
