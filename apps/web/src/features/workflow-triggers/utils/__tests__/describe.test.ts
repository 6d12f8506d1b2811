import { describe, expect, it } from 'vitest';
import { describeTrigger, firingReason, signingExample, webhookUrl } from '../describe';
import { filterProblem } from '../filter';

describe('describeTrigger', () => {
  it.each([
    [
      {
        kind: 'event',
        event_type: 'restaurant.stage_changed',
        event_filter: "@.to_stage == 'demo_done'",
      },
      "When a restaurant's stage changes, if @.to_stage == 'demo_done'",
    ],
    [
      { kind: 'event', event_type: 'task.completed', event_filter: null },
      'When a task is completed',
    ],
    [{ kind: 'event', event_type: 'sequence.ended', event_filter: null }, 'When a sequence ends'],
    [{ kind: 'webhook' }, 'Webhook: a signed POST to its URL starts the workflow'],
  ])('%j → %s', (trigger, words) => {
    expect(
      describeTrigger(
        { cron: null, timezone: null, event_type: null, event_filter: null, ...trigger },
        'Europe/London',
      ),
    ).toBe(words);
  });

  it('names the schedule’s zone: its own, else the organisation’s', () => {
    const base = { kind: 'schedule', cron: '0 9 * * 1-5', event_type: null, event_filter: null };
    expect(describeTrigger({ ...base, timezone: null }, 'Europe/London')).toMatch(
      /\(Europe\/London\)$/,
    );
    expect(describeTrigger({ ...base, timezone: 'America/New_York' }, 'Europe/London')).toMatch(
      /\(America\/New_York\)$/,
    );
  });
});

describe('firingReason', () => {
  it('is the error’s message, a default for a filtered-out event, nothing for a start', () => {
    expect(firingReason({ status: 'started', error: null })).toBeNull();
    expect(
      firingReason({ status: 'failed', error: { code: 'x', message: 'The workflow is archived' } }),
    ).toBe('The workflow is archived');
    expect(firingReason({ status: 'failed', error: { code: 'run_as_missing' } })).toBe(
      'run_as_missing',
    );
    expect(firingReason({ status: 'filtered_out', error: null })).toBe(
      'The filter did not match the event',
    );
  });
});

describe('filterProblem', () => {
  it.each([
    "@.to_stage == 'demo_done'",
    '@.task.sequence_step_order > 2 && @.task.type == "call"',
    '@.sequence.exit_reason != null',
  ])('accepts %s', (filter) => expect(filterProblem(filter)).toBeNull());

  it.each(["@.to_stage == 'demo_done", '@.a][0', 'to_stage = 1'])('refuses %s in words', (filter) =>
    expect(filterProblem(filter)).toMatch(/^Not a filter the trigger can run: /),
  );
});

describe('the webhook', () => {
  it('is called at the function’s URL and signed over "t.body" with the secret', () => {
    const url = webhookUrl('http://127.0.0.1:54321/', 'abc');
    expect(url).toBe('http://127.0.0.1:54321/functions/v1/workflow-webhook/abc');
    const example = signingExample(url, 's3cret');
    expect(example).toContain("SECRET='s3cret'");
    expect(example).toContain('openssl dgst -sha256 -hmac "$SECRET"');
    expect(example).toContain('Forkflow-Signature: t=$T,v1=$SIG');
    expect(example).toContain('Idempotency-Key');
  });
});
