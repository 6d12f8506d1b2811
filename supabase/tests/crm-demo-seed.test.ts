// The call-notes demo of the seed (issue 14 §4; docs/automation/crm-actions.md): its rows are
// there and wired to each other, and its workflows do what the demo says, run on copies in a
// fresh organisation so the seed's own restaurants stay as the other suites expect them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '@forkflow/db';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  createRestaurant,
  createTemplate,
  instanceTasks,
  startSequence,
  steps,
  taskRpc,
  type Task,
} from './support/sequences.ts';
import { ownerDb } from './support/orchestrator.ts';
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

/** Polls `read` until `done` holds (the cron orchestrator runs every second in `pnpm test`). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe(
  'the whole demo, replayed from the seed in a fresh organisation',
  needs(orchestrator, fakeGemini),
  () => {
    it(
      'completing Conduct demo runs Call notes, and demo_done starts After the demo by trigger',
      { timeout: 90_000 },
      async () => {
        const [admin, rep] = await Promise.all([fx.user('demo-admin'), fx.user('demo-rep')]);
        const organisationId = await fx.organisation(admin, { members: [rep] });
        const copy = async (id: string) => {
          const seeded = await seedWorkflow(id);
          return saveWorkflow(admin, {
            organisation_id: organisationId,
            key: seeded.key,
            name: seeded.name,
            definition: seeded.definition,
          });
        };
        const callNotes = await copy(CALL_NOTES);
        const followUp = await copy(FOLLOW_UP_WORKFLOW);

        // The seed's two templates, their steps as seeded (the automated one now naming the copy
        // of Call notes; message and task templates are the seed organisation's, so left out).
        const copyTemplate = async (id: string, name: string) => {
          const { data: seededSteps } = await service
            .from('sequence_steps')
            .select(
              'name, type, priority, custom_message, delay_value, delay_unit, workflow_id, input_map',
            )
            .eq('sequence_template_id', id)
            .order('step_order');
          const stepInputs = (seededSteps ?? []).map((step) => ({
            name: step.name,
            type: step.type,
            priority: step.priority,
            delay_value: step.delay_value,
            delay_unit: step.delay_unit,
            ...(step.custom_message ? { custom_message: step.custom_message } : {}),
            ...(step.type === 'automated'
              ? { workflow_id: callNotes.id, input_map: step.input_map }
              : {}),
          }));
          return createTemplate(admin, organisationId, stepInputs as never, { name });
        };
        const withCallNotes = await copyTemplate(
          WITH_CALL_NOTES,
          'Demo Follow-up (with call notes)',
        );
        const afterTheDemo = await copyTemplate(AFTER_THE_DEMO, 'After the demo');

        const { data: seededTrigger } = await service
          .from('workflow_triggers')
          .select('kind, name, event_type, event_filter')
          .eq('id', '41000000-0000-4000-8000-000000000001')
          .single();
        const saved = await admin.client.rpc('save_workflow_trigger', {
          p_trigger: { ...seededTrigger, workflow_id: followUp.id } as Json,
        });
        expect(saved.error).toBeNull();

        const { data: seeded } = await service
          .from('restaurants')
          .select('metadata')
          .eq('id', LUIGIS)
          .single();
        const restaurant = await createRestaurant(service, organisationId, {
          name: 'Demo Trattoria',
          lead_stage: 'demo_booked',
          assigned_sales_rep: rep.id,
          metadata: seeded?.metadata as NonNullable<Json>,
        });
        const instance = await startSequence(rep, withCallNotes.id, restaurant.id);
        const tasks = await instanceTasks(service, instance.id);
        expect(tasks[4]).toMatchObject({ type: 'automated', automation_status: 'waiting' });
        for (const done of tasks.slice(0, 4)) await taskRpc(rep, 'complete_task', done.id);

        // The automated step is due at once (0 minutes) unless the calendar moved it to the next
        // opening; either way, the test needs it due now, not at the next opening.
        const db = await ownerDb();
        try {
          await db.query(
            `update public.tasks set due_date = least(due_date, now()) where id = $1`,
            [tasks[4]!.id],
          );
        } finally {
          await db.end();
        }
        const callNotesTask = await eventually(
          async () =>
            (await service.from('tasks').select().eq('id', tasks[4]!.id).single()).data as Task,
          (t) => t.status === 'completed' || t.automation_status === 'needs_attention',
          'the Call notes task',
        );
        expect({
          status: callNotesTask.status,
          automation_status: callNotesTask.automation_status,
          error: callNotesTask.automation_error,
        }).toEqual({ status: 'completed', automation_status: 'done', error: null });
        const output = callNotesTask.automation_output as { summary: string };
        expect(output.summary).toMatch(/^Demo call summary:/);

        const { data: row } = await service
          .from('restaurants')
          .select('lead_stage, notes')
          .eq('id', restaurant.id)
          .single();
        expect(row).toEqual({ lead_stage: 'demo_done', notes: output.summary });
        const { data: stageChange } = await service
          .from('restaurant_activity')
          .select('actor_id')
          .eq('restaurant_id', restaurant.id)
          .eq('kind', 'stage_changed');
        // The job runs as the task's rep, so the rep moved it.
        expect(stageChange).toEqual([{ actor_id: rep.id }]);

        const started = await eventually(
          async () =>
            (
              await service
                .from('sequence_instances')
                .select('sequence_template_id, status, assigned_to')
                .eq('restaurant_id', restaurant.id)
                .eq('sequence_template_id', afterTheDemo.id)
            ).data ?? [],
          (rows) => rows.length > 0,
          'After the demo',
        );
        expect(started).toEqual([
          { sequence_template_id: afterTheDemo.id, status: 'active', assigned_to: rep.id },
        ]);
        // And the rep's own sequence moved on to its next step.
        const { data: next } = await service
          .from('tasks')
          .select('status')
          .eq('id', tasks[5]!.id)
          .single();
        expect(next).toEqual({ status: 'active' });
      },
    );
  },
);
