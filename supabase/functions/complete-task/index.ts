// POST /functions/v1/complete-task { task_id } — completes a task as the caller and activates
// the next step of its sequence. The HTTP entry point for machines; the work is one Postgres
// function (public.complete_task), so progression is atomic whichever way it is called.
import { z } from 'npm:zod@^4.1.0';
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { UUID_PATTERN } from '../_shared/domain/ids.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, readBody } from '../_shared/request.ts';

const completeTaskBodySchema = z.object(
  { task_id: z.string({ error: 'task_id is required' }).regex(UUID_PATTERN, 'must be a UUID') },
  { error: 'The body must be a JSON object: { "task_id": "<uuid>" }' },
);

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    await requireUserClaims(req);
    const client = createUserClient(req);
    const { task_id: taskId } = await readBody(req, completeTaskBodySchema, BODY_LIMITS.taskId);
    const { data, error } = await client.rpc('complete_task', { p_task_id: taskId });
    if (error) throw httpErrorFromPostgrest(error);
    return json(200, data);
  }),
);
