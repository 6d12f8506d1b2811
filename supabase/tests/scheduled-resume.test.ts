import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeTask,
  createRestaurant,
  createTemplate,
  readInstance,
  startSequence,
  steps,
} from './support/sequences.ts';
import { createFixtures, type TestUser } from './support/users.ts';

// A sequence paused "until" a time resumes by itself: pg_cron runs resume_due_sequences()
// on Supabase, the native stack's cron ticker runs it locally. Nobody calls resume here.

const fx = createFixtures('scheduled-resume');
let rep: TestUser;
let organisationId: string;

beforeAll(async () => {
  ({ rep } = await fx.users('rep'));
  organisationId = await fx.organisation(rep);
});

afterAll(() => fx.cleanup());

describe('scheduled resume', () => {
  it('a sequence paused until a moment is active again after it, with a due date', async () => {
    const template = await createTemplate(rep, organisationId, steps(2));
    const restaurant = await createRestaurant(fx.service, organisationId);
    const instance = await startSequence(rep, template.id, restaurant.id);

    const resumeAt = new Date(Date.now() + 2_000).toISOString();
    const { error } = await rep.client.rpc('pause_sequence', {
      p_instance_id: instance.id,
      p_resume_at: resumeAt,
    });
    expect(error).toBeNull();
    expect((await readInstance(fx.service, instance.id)).status).toBe('paused');

    // pg_cron ticks once a minute on Supabase; the local ticker every second under test.
    const deadline = Date.now() + 75_000;
    let status = 'paused';
    while (status === 'paused' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await readInstance(fx.service, instance.id)).status;
    }
    expect(status).toBe('active');
    const task = await activeTask(fx.service, instance.id);
    expect(task.due_date).not.toBeNull();
  }, 90_000);
});
