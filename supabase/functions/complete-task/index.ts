// POST /functions/v1/complete-task { task_id } — completes a task as the caller and activates
// the next step of its sequence. The HTTP entry point for machines; the work is one Postgres
// function (public.complete_task), so progression is atomic whichever way it is called.
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readTaskId(req: Request): Promise<string> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new HttpError(400, 'invalid_input', 'The body must be JSON: { "task_id": "<uuid>" }');
  }
  const taskId = (body as { task_id?: unknown } | null)?.task_id;
  if (typeof taskId !== 'string' || !UUID.test(taskId)) {
    throw new HttpError(400, 'invalid_input', 'task_id must be a UUID');
  }
  return taskId;
}

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    requireUserClaims(req);
    const client = createUserClient(req);
    const taskId = await readTaskId(req);
    const { data, error } = await client.rpc('complete_task', { p_task_id: taskId });
    if (error) throw httpErrorFromPostgrest(error);
    return json(200, data);
  }),
);
