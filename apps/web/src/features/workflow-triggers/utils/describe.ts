import type { TriggerFiring, WorkflowTrigger } from '../api/queries';
import { cronInWords } from './cron';
import { eventSentences, isEventType } from './events';

/**
 * What a trigger does, in a sentence: "Every weekday at 09:00 (Europe/London)",
 * "When a restaurant's stage changes, if @.to_stage == 'demo_done'", "Webhook".
 * `zone` is the organisation's, used when the schedule names none.
 */
export function describeTrigger(
  trigger: Pick<WorkflowTrigger, 'kind' | 'cron' | 'timezone' | 'event_type' | 'event_filter'>,
  zone: string,
): string {
  switch (trigger.kind) {
    case 'schedule':
      return `${cronInWords(trigger.cron ?? '')} (${trigger.timezone ?? zone})`;
    case 'event': {
      const when = isEventType(trigger.event_type)
        ? eventSentences[trigger.event_type]
        : `When ${trigger.event_type ?? 'an event'} happens`;
      return trigger.event_filter ? `${when}, if ${trigger.event_filter}` : when;
    }
    case 'webhook':
      return 'Webhook: a signed POST to its URL starts the workflow';
    default:
      return trigger.kind;
  }
}

export const firingStatusLabels: Record<string, string> = {
  started: 'Started',
  filtered_out: 'Filtered out',
  failed: 'Failed',
};

/** Why a firing did not start a job, in words (its error's message, else its status). */
export function firingReason(firing: Pick<TriggerFiring, 'status' | 'error'>): string | null {
  if (firing.status === 'started') return null;
  const error = firing.error as { message?: unknown; code?: unknown } | null;
  if (error && typeof error.message === 'string' && error.message) return error.message;
  if (firing.status === 'filtered_out') return 'The filter did not match the event';
  return typeof error?.code === 'string' ? error.code : null;
}

/** The URL a webhook trigger is called at (h5's function; the contract, "Webhooks"). */
export const webhookUrl = (apiUrl: string, triggerId: string) =>
  `${apiUrl.replace(/\/+$/, '')}/functions/v1/workflow-webhook/${triggerId}`;

/**
 * A copy-paste delivery, signed as the webhook checks it: v1 = hex HMAC-SHA256(secret,
 * "<t>.<raw body>"), t in unix seconds, with an Idempotency-Key so a retry is one job.
 */
export function signingExample(url: string, secret: string): string {
  return [
    `SECRET='${secret}'`,
    `BODY='{"hello":"world"}'`,
    'T=$(date +%s)',
    '# Send a retry of this delivery with the same key: it starts no second job.',
    'KEY="delivery-$T"',
    'SIG=$(printf \'%s.%s\' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed \'s/^.* //\')',
    `curl -X POST '${url}' \\`,
    "  -H 'Content-Type: application/json' \\",
    '  -H "Forkflow-Signature: t=$T,v1=$SIG" \\',
    '  -H "Idempotency-Key: $KEY" \\',
    '  -d "$BODY"',
  ].join('\n');
}
