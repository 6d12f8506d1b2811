import { describe, expect, it } from 'vitest';
import { outOfOrderQuestion, sequenceStartSkip, stepRange } from './sequence-running.ts';

describe('outOfOrderQuestion', () => {
  const running = { status: 'active', current_step_order: 2 };
  it.each([
    [
      { status: 'pending', sequence_step_order: 4 },
      running,
      'Steps 2–3 are still open; complete step 4 anyway?',
    ],
    [
      { status: 'pending', sequence_step_order: 3 },
      running,
      'Step 2 is still open; complete step 3 anyway?',
    ],
    [{ status: 'active', sequence_step_order: 2 }, running, null],
    [{ status: 'pending', sequence_step_order: 2 }, running, null],
    [{ status: 'completed', sequence_step_order: 4 }, running, null],
    [
      { status: 'pending', sequence_step_order: 4 },
      { status: 'cancelled', current_step_order: 2 },
      null,
    ],
    [{ status: 'pending', sequence_step_order: 4 }, null, null],
    [{ status: 'pending', sequence_step_order: null }, running, null],
  ])('%o in %o asks %j', (task, instance, expected) => {
    expect(outOfOrderQuestion(task, instance)).toBe(expected);
  });

  it('asks about skipping in the same words', () => {
    expect(outOfOrderQuestion({ status: 'pending', sequence_step_order: 5 }, running, 'skip')).toBe(
      'Steps 2–4 are still open; skip step 5 anyway?',
    );
  });

  it('names one step or a range', () => {
    expect(stepRange(3, 3)).toBe('Step 3');
    expect(stepRange(1, 2)).toBe('Steps 1–2');
  });
});

describe('sequenceStartSkip', () => {
  const template = { id: 't1', exit_stages: ['won', 'lost'] };
  const lead = { lead_stage: 'new', lead_status: 'active', running_template_ids: [] };

  it.each([
    [lead, null],
    [{ ...lead, running_template_ids: ['t2'] }, null],
    [{ ...lead, running_template_ids: ['t1'] }, 'already in this sequence'],
    [{ ...lead, lead_stage: 'lost' }, 'stage is Lost (an exit stage of this sequence)'],
    [{ ...lead, lead_status: 'do_not_contact' }, 'marked “do not contact”'],
    [{ ...lead, deleted_at: '2026-12-01T00:00:00Z' }, 'in the trash'],
  ])('%o → %j', (candidate, reason) => {
    expect(sequenceStartSkip(candidate, template)?.reason ?? null).toBe(reason);
  });

  it('never shows a raw stage code', () => {
    const skip = sequenceStartSkip({ ...lead, lead_stage: 'won' }, template);
    expect(skip?.code).toBe('exit_stage');
    expect(skip?.reason).not.toMatch(/\bwon\b/);
  });
});
