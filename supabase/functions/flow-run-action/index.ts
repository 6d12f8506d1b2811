// POST /functions/v1/flow-run-action { run_id, action: continue | rerun | stop, flow_id?, inputs? }
// — a user's step through a debug run (issue 11, "Runs"; docs/projects-contract.md). Any member
// of the run's organisation: 200 the run; 409 run_changed when the run is no longer where the
// caller saw it (another click, the orchestrator, a teammate got there first); 409 not_allowed
// for a continue after a flow that did not pass (re-run it or stop).
//
//   continue  the paused run's current flow passed: start the next flow (its inputs resolved
//             from the run's parameters and earlier outputs) or complete the run;
//   rerun     a new attempt of the paused run's current flow, with the same inputs or with
//             `inputs` edited (recorded with source { kind: 'edited' }, checked against the
//             workflow's declared inputs: 400 naming each bad field);
//   stop      a running or paused run stops; its running job is cancelled.
//
// The decision is applied by one Postgres function, public.flow_run_action, which locks the run
// and refuses (409 run_changed) unless the run is still in the state the next step was computed
// from, so ten concurrent continues advance the run once. What it needs to start a job (the
// run's real parameters and earlier outputs) comes from public.flow_run_context; both are
// service-role functions given the caller's id, and both check that the caller is a member (404
// otherwise). Secrets stay in private tables: the context's real values are used here in memory
// and only their masked forms are recorded or answered.
import { requireUserClaims } from '../_shared/claims.ts';
import { createServiceClient } from '../_shared/clients.ts';
import { nextFlowStart, type FlowRunBundle, type NextStart } from '../_shared/flow-runs.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { invalid } from '../_shared/projects.ts';
import { kickOrchestrator } from '../_shared/kick-orchestrator.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { annotate } from '../_shared/request-log.ts';
import { BODY_LIMITS, readBody } from '../_shared/request.ts';
import { decideAction } from '../_shared/domain/flows/run-state.ts';
import { runActionBodySchema } from '../_shared/domain/flows/schemas.ts';

type Problem = { path: (string | number)[]; code: string; message: string };

const firstProblem = (problems: Problem[]) => {
  const first = problems[0];
  if (!first) return '';
  return first.path.length > 0 ? `${first.path.join('.')}: ${first.message}` : first.message;
};

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub } = await requireUserClaims(req);
    const body = await readBody(req, runActionBodySchema, BODY_LIMITS.flowRunAction);
    annotate(req, { run_id: body.run_id, action: body.action });
    const service = createServiceClient();

    let flowId: string | null = null;
    let next: Extract<NextStart, { ok: true }>['next'] | null = null;
    if (body.action !== 'stop') {
      flowId = body.flow_id;
      const context = await service.rpc('flow_run_context', {
        p_user_id: sub,
        p_run_id: body.run_id,
      });
      if (context.error) throw httpErrorFromPostgrest(context.error, context.status);
      const bundle = context.data as FlowRunBundle;
      // Whether the click applies to the run as it is now (the domain's rule): continue and
      // rerun act on a paused run at the flow the caller saw (else 409 run_changed: the run
      // moved on, or the page is stale), and continue only after that flow passed (else 409
      // not_allowed: re-run it or stop). Checked here before anything is resolved, and again
      // by flow_run_action under the run's lock.
      const decision = decideAction(
        {
          status: bundle.run.status,
          mode: bundle.run.mode,
          flowIds: bundle.run.flows.map((flow) => flow.id),
          current_flow_id: bundle.run.current_flow_id,
          current_flow_status: bundle.current?.status ?? null,
        },
        { action: body.action, flow_id: body.flow_id },
      );
      if (!decision.ok) throw new HttpError(409, decision.code, decision.message);
      const edited = body.action === 'rerun' ? body.inputs : undefined;
      const start = nextFlowStart(
        bundle,
        body.action === 'rerun' ? { rerun: body.flow_id, edited } : { after: body.flow_id },
      );
      if (!start.ok) {
        // Edited inputs that do not fit the workflow are the caller's to fix; inputs of the next
        // flow that do not resolve (a field missing from an earlier output) are the run's.
        const code = edited ? 'invalid_input' : 'unresolved_parameters';
        return invalid(
          code,
          `${start.problems.length} input${start.problems.length === 1 ? '' : 's'} of ${start.flow_id ?? body.flow_id} did not resolve: ${firstProblem(start.problems)}`,
          start.problems,
        );
      }
      next = start.next;
    }

    const { data, error, status } = await service.rpc('flow_run_action', {
      p_user_id: sub,
      p_run_id: body.run_id,
      p_action: body.action,
      p_flow_id: flowId,
      p_next: next,
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    // A continue to a next flow and every rerun inserted a job: wake the orchestrator rather
    // than leave it to cron. A stop or a completion started nothing.
    if (body.action === 'rerun' || next?.kind === 'start_next') kickOrchestrator('flow-run-action');
    return json(200, data);
  }),
);
