import { RETRY_POLICY_LIMITS } from '@forkflow/domain/backoff';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FunctionError } from '@/lib/edge-functions';
import { supabase } from '@/lib/supabase';
import {
  describeSaveWorkflowError,
  emptyWorkflowFormValues,
  saveWorkflow,
  workflowInputSchema,
  type WorkflowFormValues,
} from '../save-workflow';

const organisationId = '00000000-0000-4000-8000-000000000001';
const definition =
  '{"start_step":"step1","steps":{"step1":{"transformer_id":"echo-transformer","input_map":{"data":"$.job_input.payload"},"next_step":null}},"output_map":{"result":"$.step1.output.echoed_data"}}';
const values: WorkflowFormValues = {
  ...emptyWorkflowFormValues,
  key: 'echo',
  name: ' Echo ',
  description: '',
  definition,
  change_description: 'Retry less',
  max_retries: 1,
};

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  // The functions client reads the session for its token: none in tests.
  vi.spyOn(supabase.auth, 'getSession').mockResolvedValue({
    data: { session: null },
    error: null,
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('saveWorkflow', () => {
  it('posts the parsed definition and policy to save-workflow', async () => {
    fetchMock.mockResolvedValue(json(200, { id: 'w1', name: 'Echo', version: 3 }));
    const saved = await saveWorkflow({
      organisationId,
      workflowId: '40000000-0000-4000-8000-000000000001',
      expectedVersion: 2,
      data: values,
    });
    expect(saved).toMatchObject({ id: 'w1', version: 3 });
    const [input, init] = fetchMock.mock.calls[0] ?? [];
    expect(String(input instanceof Request ? input.url : input)).toMatch(
      /\/functions\/v1\/save-workflow$/,
    );
    const body = JSON.parse(
      input instanceof Request ? await input.text() : String(init?.body),
    ) as Record<string, unknown>;
    expect(body).toEqual({
      organisation_id: organisationId,
      workflow_id: '40000000-0000-4000-8000-000000000001',
      key: 'echo',
      name: 'Echo',
      description: null,
      definition: JSON.parse(definition),
      retry_policy: { max_retries: 1, base_ms: 1000, factor: 2, cap_ms: 300000, jitter: 'full' },
      change_description: 'Retry less',
      expected_version: 2,
    });
  });

  it('turns the server’s validation details into a summary with paths', async () => {
    fetchMock.mockResolvedValue(
      json(400, {
        error: {
          code: 'invalid_definition',
          message: 'The definition has 1 problem',
          details: [
            {
              path: ['steps', 'step1', 'transformer_id'],
              code: 'unknown_transformer',
              message: 'Transformer "x" does not exist',
            },
          ],
        },
      }),
    );
    const error = await saveWorkflow({ organisationId, data: values }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_definition' });
    expect(describeSaveWorkflowError(error)).toEqual({
      title: "The workflow wasn't saved",
      messages: ['steps.step1.transformer_id: Transformer "x" does not exist'],
      conflict: false,
    });
  });

  it('explains a version conflict (someone saved meanwhile)', async () => {
    fetchMock.mockResolvedValue(
      json(409, {
        error: {
          code: 'version_conflict',
          message:
            'this workflow was saved by someone else meanwhile (version 3, you edited 2): reload it',
        },
      }),
    );
    const error = await saveWorkflow({ organisationId, data: values }).catch((e: unknown) => e);
    const problem = describeSaveWorkflowError(error);
    expect(problem.conflict).toBe(true);
    expect(problem.title).toBe('Someone else saved this workflow while you were editing');
    expect(problem.messages[0]).toMatch(
      /^This workflow was saved by someone else meanwhile \(version 3, you edited 2\): reload it\. Your changes are still in the form/,
    );
  });

  it('says when the key is taken', async () => {
    fetchMock.mockResolvedValue(
      json(409, {
        error: { code: 'key_taken', message: 'a workflow with key echo already exists' },
      }),
    );
    const error = await saveWorkflow({ organisationId, data: values }).catch((e: unknown) => e);
    expect(describeSaveWorkflowError(error)).toEqual({
      title: "The workflow wasn't saved",
      messages: ['A workflow with key echo already exists. Choose another key.'],
      conflict: false,
    });
  });
});

describe("the form's retry policy bounds", () => {
  // base_ms is tried under the highest cap, cap_ms over the lowest base, so the cap >= base
  // rule never decides the outcome.
  const withField = (field: string, value: number): WorkflowFormValues =>
    field === 'base_ms'
      ? { ...values, base_ms: value, cap_ms: RETRY_POLICY_LIMITS.cap_ms.max }
      : field === 'cap_ms'
        ? { ...values, base_ms: RETRY_POLICY_LIMITS.base_ms.min, cap_ms: value }
        : { ...values, [field]: value };

  it.each(Object.entries(RETRY_POLICY_LIMITS))(
    "%s takes the domain's limits",
    (field, { min, max }) => {
      expect(workflowInputSchema.safeParse(withField(field, min)).success).toBe(true);
      expect(workflowInputSchema.safeParse(withField(field, max)).success).toBe(true);
      const below = workflowInputSchema.safeParse(withField(field, min - 1));
      const above = workflowInputSchema.safeParse(withField(field, max + 1));
      expect(below.error?.issues.map((issue) => issue.path[0])).toContain(field);
      expect(above.error?.issues.map((issue) => issue.path[0])).toContain(field);
    },
  );
});
