// test-step (issue 12 §9): an owner or admin runs one step's executor on a sample input from
// the step editor. The input is mapped as the orchestrator maps it, the output reshaped by
// the step's output_map; no job is created; members are refused 403, other organisations 404,
// bad bodies 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestaurant } from './support/sequences.ts';
import { callFunction, createWorkflowOrganisation, type ApiError } from './support/workflows.ts';

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;

beforeAll(async () => {
  t = await createWorkflowOrganisation('test-step');
}, 60_000);

afterAll(() => t?.fx.cleanup());

const echoStep = {
  transformer_id: 'echo-transformer',
  input_map: { data: '$.job_input.lead', score: '$.score.output.value' },
  output_map: { lead: '$.enrich.output.echoed_data' },
  next_step: null,
};

const body = (organisationId: string) => ({
  organisation_id: organisationId,
  step_id: 'enrich',
  step: echoStep,
  sample: { job_input: { lead: { company: 'Harbour Bistro' } }, steps: { score: { value: 72 } } },
});

const jobCount = async () => {
  const { count, error } = await t.service
    .from('jobs')
    .select('id', { count: 'exact', head: true })
    .eq('organisation_id', t.organisationId);
  if (error) throw error;
  return count ?? 0;
};

describe('test-step', () => {
  it('owner runs an echo step on a sample: mapped input, output after output_map, no job', async () => {
    const before = await jobCount();
    const res = await callFunction<{ input: unknown; output: unknown }>('test-step', {
      as: t.owner,
      body: body(t.organisationId),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      input: { data: { company: 'Harbour Bistro' }, score: 72 },
      output: { lead: { company: 'Harbour Bistro' } },
    });
    expect(await jobCount()).toBe(before);
  });

  it('paths that match nothing are reported as missing inputs', async () => {
    const res = await callFunction<{ missing_inputs?: unknown[] }>('test-step', {
      as: t.admin,
      body: { ...body(t.organisationId), sample: { job_input: {} } },
    });
    expect(res.status).toBe(200);
    expect(res.body.missing_inputs).toEqual([
      { key: 'data', path: '$.job_input.lead' },
      { key: 'score', path: '$.score.output.value' },
    ]);
  });

  it("an executor's failure is the answer, not a refused request", async () => {
    const res = await callFunction<{ error: { code: string; retryable: boolean } }>('test-step', {
      as: t.owner,
      body: {
        organisation_id: t.organisationId,
        step: {
          transformer_id: 'http-request',
          input_map: { url: '$.job_input.url' },
        },
        sample: { job_input: { url: 'http://not-a-connection.invalid/hook' } },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.error).toMatchObject({ code: 'host_not_allowed', retryable: false });
  });

  it('a CRM step acts as the caller: the restaurant changes and its activity names them', async () => {
    const restaurant = await createRestaurant(t.service, t.organisationId, { lead_warmth: 'cold' });
    const res = await callFunction<{ output?: { restaurant?: { lead_warmth: string } } }>(
      'test-step',
      {
        as: t.admin,
        body: {
          organisation_id: t.organisationId,
          step: {
            transformer_id: 'crm-update-restaurant',
            input_map: { restaurant_id: '$.job_input.id', lead_warmth: '$.job_input.warmth' },
          },
          sample: { job_input: { id: restaurant.id, warmth: 'hot' } },
        },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.output?.restaurant?.lead_warmth).toBe('hot');
    const { data, error } = await t.service
      .from('restaurant_activity')
      .select('kind, actor_id')
      .eq('restaurant_id', restaurant.id)
      .eq('kind', 'warmth_changed');
    if (error) throw error;
    expect(data).toEqual([{ kind: 'warmth_changed', actor_id: t.admin.id }]);
  });

  it('member is refused with 403', async () => {
    const res = await callFunction<ApiError>('test-step', {
      as: t.member,
      body: body(t.organisationId),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('outsider is refused with 404 for another organisation', async () => {
    const res = await callFunction<ApiError>('test-step', {
      as: t.outsider,
      body: body(t.organisationId),
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it("another organisation's transformer is unknown here (400)", async () => {
    const id = `theirs-${Date.now().toString(36)}`;
    const { error } = await t.outsider.client.rpc('save_transformer', {
      p_organisation_id: t.otherOrganisationId,
      p_id: id,
      p_type: 'echo',
      p_description: null,
      p_config: {},
      p_timeout_ms: null,
    } as never);
    expect(error).toBeNull();
    const res = await callFunction<ApiError>('test-step', {
      as: t.owner,
      body: { ...body(t.organisationId), step: { ...echoStep, transformer_id: id } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('transformer_not_found');
  });

  it.each([
    ['no step', { organisation_id: 'x' }],
    ['a bad organisation id', { organisation_id: 'not-a-uuid', step: echoStep }],
    [
      'a step without a transformer',
      { organisation_id: '00000000-0000-4000-8000-000000000000', step: {} },
    ],
    [
      'a sample that is not an object',
      { organisation_id: '00000000-0000-4000-8000-000000000000', step: echoStep, sample: [1] },
    ],
  ])('a body with %s is a 400', async (_what, sent) => {
    const res = await callFunction<ApiError>('test-step', { as: t.owner, body: sent });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('a malformed JSONPath is a 400', async () => {
    const res = await callFunction<ApiError>('test-step', {
      as: t.owner,
      body: { ...body(t.organisationId), step: { ...echoStep, input_map: { data: '$[' } } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json_path');
  });

  it('a body over 1 MiB is a 413', async () => {
    const res = await callFunction<ApiError>('test-step', {
      as: t.owner,
      body: { ...body(t.organisationId), sample: { job_input: { big: 'x'.repeat(1024 * 1024) } } },
    });
    expect(res.status).toBe(413);
  });

  it('anon is refused with 401', async () => {
    const res = await callFunction<ApiError>('test-step', { body: body(t.organisationId) });
    expect(res.status).toBe(401);
  });
});
