// POST /functions/v1/retry-job { job_id } — re-queues a failed (or cancelled) job from the
// step it stopped at, on the version it ran, as the caller: public.retry_job. 404 for a job
// they cannot see, 409 unless it failed or was cancelled. Kicks the orchestrator.
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { annotate } from '../_shared/request-log.ts';
import { kickOrchestrator } from '../_shared/kick-orchestrator.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, readBody } from '../_shared/request.ts';
import { jobIdBodySchema } from '../_shared/workflow-inputs.ts';

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    await requireUserClaims(req);
    const { job_id } = await readBody(req, jobIdBodySchema, BODY_LIMITS.jobId);
    annotate(req, { job_id });
    const client = createUserClient(req);
    const { data, error, status } = await client.rpc('retry_job', { p_job_id: job_id });
    if (error) throw httpErrorFromPostgrest(error, status);
    kickOrchestrator('retry-job');
    return json(200, data);
  }),
);
