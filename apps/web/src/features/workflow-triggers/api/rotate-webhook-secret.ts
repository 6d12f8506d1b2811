import { useMutation } from '@tanstack/react-query';
import { AppError } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { callTriggerRpc } from './save-trigger';

/**
 * A new signing secret for a webhook trigger (rotate_webhook_secret): the old one stops
 * working at once, and the new one is shown this one time.
 */
export async function rotateWebhookSecret({ id }: { id: string }): Promise<{ secret: string }> {
  const answer = (await callTriggerRpc('rotate_webhook_secret', { p_trigger_id: id })) as {
    secret?: unknown;
  } | null;
  if (typeof answer?.secret !== 'string') {
    throw new AppError('The secret was rotated, but the answer had no secret. Rotate again.');
  }
  return { secret: answer.secret };
}

export function useRotateWebhookSecret({
  mutationConfig,
}: {
  mutationConfig?: MutationConfig<typeof rotateWebhookSecret>;
} = {}) {
  return useMutation({ ...mutationConfig, mutationFn: rotateWebhookSecret });
}
