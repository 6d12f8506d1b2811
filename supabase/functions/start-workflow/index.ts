// POST /functions/v1/start-workflow { workflow_id, input_data, organisation_id? }
// (header Idempotency-Key optional) — starts a job as the caller (seed 003 iteration 2;
// docs/workflows-contract.md). The work is one RPC, public.start_workflow_job, run as the
// user so membership decides what they can start. 201 for a new job; 200 with the same
// body when the Idempotency-Key was already used for this workflow and input.
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { annotate } from '../_shared/request-log.ts';
import { kickOrchestrator } from '../_shared/kick-orchestrator.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, idempotencyKey, readBody } from '../_shared/request.ts';
import { startWorkflowBodySchema } from '../_shared/workflow-inputs.ts';

type Started = {
  job_id: string;
  status: string;
  created_at: string;
  replayed: boolean;
  workflow_id: string;
  workflow_version: number;
};

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    await requireUserClaims(req);
    const key = idempotencyKey(req);
    const body = await readBody(req, startWorkflowBodySchema, BODY_LIMITS.startWorkflow);
    const client = createUserClient(req);

    const { data, error, status } = await client.rpc('start_workflow_job', {
      p_workflow: body.workflow_id,
      p_input: body.input_data,
      p_idempotency_key: key,
      p_organisation_id: body.organisation_id ?? null,
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    const started = data as Started;
    annotate(req, { job_id: started.job_id, workflow_id: started.workflow_id });

    if (!started.replayed) kickOrchestrator('start-workflow');
    // A replay answers as the first call did (a job always starts pending); the job's
    // current state is for get-job.
    return json(
      started.replayed ? 200 : 201,
      {
        job_id: started.job_id,
        status: 'pending',
        created_at: started.created_at,
        workflow_id: started.workflow_id,
        workflow_version: started.workflow_version,
      },
      started.replayed ? { 'Idempotent-Replayed': 'true' } : {},
    );
  }),
);
