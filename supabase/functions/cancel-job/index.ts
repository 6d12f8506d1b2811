// POST /functions/v1/cancel-job { job_id } — cancels a job that has not finished, as the
// caller (their own job, or any job of an organisation they administer): public.cancel_job.
// 404 for a job they cannot see, 409 once it is completed, failed or cancelled.
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { annotate } from '../_shared/request-log.ts';
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
    const { data, error, status } = await client.rpc('cancel_job', { p_job_id: job_id });
    if (error) throw httpErrorFromPostgrest(error, status);
    return json(200, data);
  }),
);
