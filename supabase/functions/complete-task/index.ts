// POST /functions/v1/complete-task { task_id, outcome? } — completes a task as the caller and
// activates the next step of its sequence; `outcome` is a call's (connected, voicemail,
// no_answer), as the dashboard records it. The HTTP entry point for machines; the work is one
// Postgres function (public.complete_task), so progression is atomic whichever way it is called.
import { z } from 'npm:zod@^4.1.0';
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { UUID_PATTERN } from '../_shared/domain/ids.ts';
import { callOutcomes } from '../_shared/domain/tasks.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, readBody } from '../_shared/request.ts';

const completeTaskBodySchema = z.object(
  {
    task_id: z.string({ error: 'task_id is required' }).regex(UUID_PATTERN, 'must be a UUID'),
    outcome: z
      .enum(callOutcomes, { error: `outcome must be one of ${callOutcomes.join(', ')}` })
      .optional(),
  },
  { error: 'The body must be a JSON object: { "task_id": "<uuid>", "outcome"?: "connected" }' },
);

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    await requireUserClaims(req);
    const client = createUserClient(req);
    const { task_id: taskId, outcome } = await readBody(
      req,
      completeTaskBodySchema,
      BODY_LIMITS.taskId,
    );
    const { data, error, status } = await client.rpc('complete_task', {
      p_task_id: taskId,
      ...(outcome ? { p_outcome: outcome } : {}),
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    return json(200, data);
  }),
);
