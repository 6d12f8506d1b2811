// The call-notes demo of the seed (issue 14 §4; docs/automation/crm-actions.md): its rows are
// there and wired to each other, and its workflows do what the demo says, run on copies in a
// fresh organisation so the seed's own restaurants stay as the other suites expect them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '@forkflow/db';
import { createFixtures, type TestUser } from './support/users.ts';
import { createRestaurant, createTemplate, steps } from './support/sequences.ts';
import { fakeGemini, needs, orchestrator } from './support/needs.ts';
import { saveWorkflow, startJob, waitForJob } from './support/workflows.ts';

const HARBOUR = '00000000-0000-4000-8000-000000000001';
const CALL_NOTES = '40000000-0000-4000-8000-000000000010';
const FOLLOW_UP_WORKFLOW = '40000000-0000-4000-8000-000000000011';
const WITH_CALL_NOTES = '32000000-0000-4000-8000-000000000005';
const AFTER_THE_DEMO = '32000000-0000-4000-8000-000000000006';
const LUIGIS = '20000000-0000-4000-8000-000000000001';

const fx = createFixtures('crm-demo');
const service = fx.service;

afterAll(() => fx.cleanup());

async function seedWorkflow(id: string) {
  const { data, error } = await service
    .from('workflows')
    .select('key, name, definition, organisation_id')
    .eq('id', id)
    .single();
  if (error) throw new Error(error.message);
  return data;
}

describe('the seed: Demo Follow-up (with call notes)', () => {
  it('has Demo Follow-up with an automated Call notes step right after Conduct demo', async () => {
    const { data: template } = await service
      .from('sequence_templates')
      .select('name, is_active, organisation_id')
      .eq('id', WITH_CALL_NOTES)
      .single();
    expect(template).toEqual({
      name: 'Demo Follow-up (with call notes)',
      is_active: true,
      organisation_id: HARBOUR,
    });
    const { data: stepRows } = await service
      .from('sequence_steps')
      .select('step_order, name, type, workflow_id, input_map, delay_value, delay_unit')
      .eq('sequence_template_id', WITH_CALL_NOTES)
      .order('step_order');
    expect(stepRows?.map((s) => s.name)).toEqual([
      'Send demo confirmation',
      'Prepare demo materials',
      'Reminder call day before',
      'Conduct demo',
      'Call notes: summarise the demo call',
      'Follow-up email',
      'Check-in call',
      'Contract proposal',
    ]);
    expect(stepRows?.[4]).toMatchObject({
      type: 'automated',
      workflow_id: CALL_NOTES,
      delay_value: 0,
      input_map: {
        restaurant_id: { source: 'restaurant', field: 'id' },
        restaurant_metadata: { source: 'restaurant', field: 'metadata' },
      },
    });
    // The workflow's declared inputs are exactly what the step maps.
    const workflow = await seedWorkflow(CALL_NOTES);
    const inputs = (workflow.definition as { inputs: { name: string }[] }).inputs;
    expect(inputs.map((i) => i.name).sort()).toEqual(
      Object.keys(stepRows?.[4]?.input_map as object).sort(),
    );
  });

  it('has the demo_done event trigger on a workflow that starts After the demo', async () => {
    const { data: trigger } = await service
      .from('workflow_triggers')
      .select('kind, enabled, event_type, event_filter, workflow_id, run_as')
      .eq('id', '41000000-0000-4000-8000-000000000001')
      .single();
    expect(trigger).toEqual({
      kind: 'event',
      enabled: true,
      event_type: 'restaurant.stage_changed',
      event_filter: "@.to_stage == 'demo_done'",
      workflow_id: FOLLOW_UP_WORKFLOW,
      run_as: '10000000-0000-4000-8000-000000000001',
    });
    const workflow = await seedWorkflow(FOLLOW_UP_WORKFLOW);
    expect(workflow.definition).toMatchObject({
      steps: {
        start: {
          transformer_id: 'crm-start-sequence',
          config: { sequence_template_name: 'After the demo' },
        },
      },
    });
    const { data: after } = await service
      .from('sequence_templates')
      .select('name, is_active')
      .eq('id', AFTER_THE_DEMO)
      .single();
    expect(after).toEqual({ name: 'After the demo', is_active: true });
  });

  it("gives Harbour Street's restaurants the placeholder call recording", async () => {
    const { data } = await service.from('restaurants').select('metadata').eq('id', LUIGIS).single();
    expect(data?.metadata).toMatchObject({
      call_recording: { mime_type: 'audio/mpeg', audio_base64: expect.any(String) },
    });
  });
});

describe('the demo workflows, run as a rep', needs(orchestrator, fakeGemini), () => {
  let admin: TestUser;
  let rep: TestUser;
  let organisationId: string;
  let recording: NonNullable<Json>;

  beforeAll(async () => {
    ({ admin, rep } = await fx.users('admin', 'rep'));
    organisationId = await fx.organisation(admin, { members: [rep] });
    const { data } = await service.from('restaurants').select('metadata').eq('id', LUIGIS).single();
    recording = data?.metadata as NonNullable<Json>;
  });

  it('Call notes transcribes, summarises into the notes and moves the restaurant to demo_done', async () => {
    const seeded = await seedWorkflow(CALL_NOTES);
    const workflow = await saveWorkflow(admin, {
      organisation_id: organisationId,
      key: seeded.key,
      name: seeded.name,
      definition: seeded.definition,
    });
    const restaurant = await createRestaurant(service, organisationId, {
      lead_stage: 'demo_booked',
      notes: 'Demo booked for Tuesday.',
      metadata: recording,
    });
    const started = await startJob(rep, workflow.id, {
      restaurant_id: restaurant.id,
      restaurant_metadata: recording,
    });
    const job = await waitForJob(
      service,
      started.job_id,
      (j) => ['completed', 'failed', 'cancelled'].includes(j.status),
      30_000,
    );
    expect({ status: job.status, error: job.error_message }).toEqual({
      status: 'completed',
      error: null,
    });
    const result = job.final_result as { transcript: string; summary: string; lead_stage: string };
    expect(result.transcript).toMatch(/table QR codes/);
    expect(result.summary).toMatch(/^Demo call summary:/);
    expect(result.lead_stage).toBe('demo_done');
    const { data: row } = await service
      .from('restaurants')
      .select('lead_stage, notes')
      .eq('id', restaurant.id)
      .single();
    expect(row).toEqual({
      lead_stage: 'demo_done',
      notes: `Demo booked for Tuesday.\n\n${result.summary}`,
    });
    const { data: activity } = await service
      .from('restaurant_activity')
      .select('kind, actor_id')
      .eq('restaurant_id', restaurant.id)
      .eq('kind', 'stage_changed');
    expect(activity).toEqual([{ kind: 'stage_changed', actor_id: rep.id }]);
  });

  it("the trigger's workflow starts After the demo for the event's restaurant", async () => {
    const seeded = await seedWorkflow(FOLLOW_UP_WORKFLOW);
    const workflow = await saveWorkflow(admin, {
      organisation_id: organisationId,
      key: seeded.key,
      name: seeded.name,
      definition: seeded.definition,
    });
    const template = await createTemplate(admin, organisationId, steps(2), {
      name: 'After the demo',
    });
    const restaurant = await createRestaurant(service, organisationId, { lead_stage: 'demo_done' });
    // The input an event trigger gives its job (docs/automation-contract.md, "Triggers").
    const started = await startJob(rep, workflow.id, {
      trigger: { id: '41000000-0000-4000-8000-000000000001', kind: 'event' },
      event: {
        event: 'restaurant.stage_changed',
        restaurant_id: restaurant.id,
        from_stage: 'demo_booked',
        to_stage: 'demo_done',
      },
    });
    const job = await waitForJob(service, started.job_id, (j) =>
      ['completed', 'failed', 'cancelled'].includes(j.status),
    );
    expect({ status: job.status, error: job.error_message }).toEqual({
      status: 'completed',
      error: null,
    });
    const { data: instances } = await service
      .from('sequence_instances')
      .select('id, sequence_template_id, status, created_by')
      .eq('restaurant_id', restaurant.id);
    expect(instances).toEqual([
      {
        id: (job.final_result as { sequence_instance_id: string }).sequence_instance_id,
        sequence_template_id: template.id,
        status: 'active',
        created_by: rep.id,
      },
    ]);
  });
});
