// POST /functions/v1/run-flow-sequence { sequence_id, mode? } — starts a run of a flow sequence
// (issue 11, "Runs"; docs/projects-contract.md). Any member of the sequence's organisation may
// run it: 201 { run_id, status }.
//
// What is read, and as whom: the sequence, its project, the project's linked environment and the
// workflows of its flows are read AS THE USER (RLS decides what they see: a sequence they cannot
// see is a 404, exactly like one that does not exist). Only the linked environment's secret
// values are read with the service role (`flow_run_secret_values`), because no user may ever read
// them back. Then, all in memory with the domain package:
//   validate  the saved sequence against today's workflows (a workflow archived or changed since
//             the save) → 400 invalid_sequence with every problem;
//   resolve   environment → project variables → sequence parameters → flow 1's inputs → 400
//             unresolved_parameters naming each value that did not resolve;
//   mask      what is recorded (run parameters/variables, flow 1's inputs, the job's input_data)
//             holds `••••` for every secret; the real values travel only to private tables
//             (private.flow_run_secrets, private.job_run_context) through start_flow_run.
// start_flow_run (service role, given the caller's id, which it checks for membership again)
// inserts the run, its first run flow and that flow's job in one transaction; the orchestrator
// is then kicked so the job does not wait for cron. No secret value is ever in a response.
import { requireUserClaims } from '../_shared/claims.ts';
import { createServiceClient, createUserClient } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { invalid } from '../_shared/projects.ts';
import { kickOrchestrator } from '../_shared/kick-orchestrator.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { annotate } from '../_shared/request-log.ts';
import { BODY_LIMITS, readBody } from '../_shared/request.ts';
import {
  runFlowSequenceBodySchema,
  type ApiHosts,
  type EnvironmentVariable,
  type Flow,
  type ProjectVariable,
  type SequenceParameter,
} from '../_shared/domain/flows/schemas.ts';
import {
  maskedInput,
  maskResolved,
  redactSecrets,
  resolveFlowInputs,
  resolveProjectVariables,
  resolveSequenceParameters,
  secretStrings,
  type Resolved,
  type ResolveProblem,
} from '../_shared/domain/flows/resolve.ts';
import {
  validateFlowSequence,
  toWorkflowForSequence,
  type WorkflowForSequence,
} from '../_shared/domain/flows/validate-sequence.ts';

type EnvironmentRow = {
  id: string;
  name: string;
  api_hosts: ApiHosts;
  variables: EnvironmentVariable[];
};
type ProjectRow = {
  id: string;
  status: string;
  environment_id: string | null;
  api_hosts: ApiHosts;
  variables: ProjectVariable[];
  /** The linked environment (null when none is linked). */
  environment: EnvironmentRow | null;
};
type SequenceRow = {
  id: string;
  organisation_id: string;
  project_id: string;
  parameters: SequenceParameter[];
  flows: Flow[];
  project: ProjectRow;
};
type WorkflowRow = { id: string; name: string; status: string; definition: unknown };
type Started = { run_id: string; status: string; run_flow_id: string; job_id: string };

const queryFailed = (what: string, message: string) =>
  new HttpError(500, 'query_failed', `Could not read the ${what}: ${message}`);

const notFound = () => new HttpError(404, 'not_found', 'flow sequence not found');

/** `[variables, api_key]: …` — the first problem, as one line for the message. */
const firstProblem = (problems: { path: (string | number)[]; message: string }[]) => {
  const first = problems[0];
  if (!first) return '';
  return first.path.length > 0 ? `${first.path.join('.')}: ${first.message}` : first.message;
};

/** The real values of a resolved map ({ name: value }): what a job or a later flow reads. */
const realValues = (resolved: Record<string, Resolved>) =>
  Object.fromEntries(Object.entries(resolved).map(([name, r]) => [name, r.value]));

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub } = await requireUserClaims(req);
    const body = await readBody(req, runFlowSequenceBodySchema, BODY_LIMITS.runFlowSequence);
    const client = createUserClient(req);

    // As the user, in one query (the project and its environment embedded through their
    // foreign keys): RLS hides another organisation's sequence, so not visible = 404.
    const sequenceRead = await client
      .from('flow_sequences')
      .select(
        'id, organisation_id, project_id, parameters, flows, ' +
          'project:projects!inner(id, status, environment_id, api_hosts, variables, ' +
          'environment:environments(id, name, api_hosts, variables))',
      )
      .eq('id', body.sequence_id)
      .maybeSingle();
    if (sequenceRead.error) throw queryFailed('flow sequence', sequenceRead.error.message);
    const sequence = sequenceRead.data as unknown as SequenceRow | null;
    if (!sequence) throw notFound();
    annotate(req, { sequence_id: sequence.id });
    if (sequence.flows.length === 0) {
      throw new HttpError(400, 'empty_sequence', 'The sequence has no flows to run: add one first');
    }
    const { environment: environmentRow, ...project } = sequence.project;
    // Archived is put away: its sequences stay readable, not runnable, until it is restored.
    if (project.status === 'archived') {
      throw new HttpError(
        409,
        'project_archived',
        'The project is archived: restore it to run its sequences',
      );
    }

    const workflowIds = [...new Set(sequence.flows.map((flow) => flow.workflow_id))];
    const [workflowsRead, secretsRead] = await Promise.all([
      client
        .from('workflows')
        .select('id, name, status, definition')
        .eq('organisation_id', sequence.organisation_id)
        .in('id', workflowIds),
      // Only after the user's own read proved they see the project and its environment: the
      // service role reads nothing for a caller who could not.
      environmentRow
        ? createServiceClient().rpc('flow_run_secret_values', {
            p_environment_id: environmentRow.id,
          })
        : Promise.resolve({ data: {}, error: null }),
    ]);
    if (workflowsRead.error) throw queryFailed('workflows', workflowsRead.error.message);
    if (secretsRead.error) throw queryFailed('environment secrets', secretsRead.error.message);
    const workflowRows = (workflowsRead.data ?? []) as WorkflowRow[];
    const environment = environmentRow
      ? { ...environmentRow, secrets: (secretsRead.data ?? {}) as Record<string, string> }
      : null;

    // The saved sequence was valid when saved; a workflow may have changed since.
    const workflows = new Map<string, WorkflowForSequence>(
      workflowRows.map((w) => [w.id, toWorkflowForSequence(w)]),
    );
    const sequenceProblems = validateFlowSequence(
      { parameters: sequence.parameters, flows: sequence.flows },
      { workflows, projectVariables: project.variables },
    );
    if (sequenceProblems.length > 0) {
      return invalid(
        'invalid_sequence',
        `The sequence no longer runs (${sequenceProblems.length} problem${sequenceProblems.length === 1 ? '' : 's'}): ${firstProblem(sequenceProblems)}`,
        sequenceProblems,
      );
    }

    // environment → project variables → sequence parameters → flow 1's inputs.
    const first = sequence.flows[0] as Flow;
    const firstWorkflow = workflows.get(first.workflow_id) as WorkflowForSequence;
    const variables = resolveProjectVariables(
      { variables: project.variables, api_hosts: project.api_hosts },
      environment,
    );
    const parameters = resolveSequenceParameters(sequence.parameters, variables.resolved);
    const inputs = resolveFlowInputs(first, firstWorkflow.inputs, parameters.resolved, {});
    // Paths name what failed: ['variables', name], ['parameters', name],
    // ['flows', flow_id, 'inputs', name].
    const unresolved: ResolveProblem[] = [
      ...variables.problems,
      ...parameters.problems,
      ...inputs.problems,
    ];
    if (unresolved.length > 0) {
      return invalid(
        'unresolved_parameters',
        `${unresolved.length} value${unresolved.length === 1 ? '' : 's'} did not resolve: ${firstProblem(unresolved)}`,
        unresolved,
      );
    }

    const redact = secretStrings(variables.resolved, parameters.resolved, inputs.resolved);
    // maskedInput masks the values resolved from secrets; redactSecrets also catches a secret
    // that reached the input some other way (a default that happens to hold it).
    const inputDataMasked = redactSecrets(maskedInput(inputs.input, inputs.resolved), redact);
    const { data, error, status } = await createServiceClient().rpc('start_flow_run', {
      p_user_id: sub,
      p_sequence_id: sequence.id,
      p_mode: body.mode,
      p_run: {
        environment_id: environment?.id ?? null,
        environment_name: environment?.name ?? null,
        flows: sequence.flows.map((flow) => ({
          id: flow.id,
          workflow_id: flow.workflow_id,
          workflow_name: workflows.get(flow.workflow_id)?.name ?? null,
          mappings: flow.mappings,
          assertions: flow.assertions,
        })),
        parameters: maskResolved(parameters.resolved),
        variables: maskResolved(variables.resolved),
        secrets: {
          parameters: realValues(parameters.resolved),
          variables: realValues(variables.resolved),
          redact,
        },
        first: {
          flow_id: first.id,
          workflow_id: first.workflow_id,
          inputs: maskResolved(inputs.resolved),
          input_data: inputs.input,
          input_data_masked: inputDataMasked,
        },
      },
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    const started = data as Started;
    annotate(req, { run_id: started.run_id, job_id: started.job_id });
    kickOrchestrator('run-flow-sequence');
    return json(201, { run_id: started.run_id, status: started.status });
  }),
);
