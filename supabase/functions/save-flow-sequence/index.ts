// POST /functions/v1/save-flow-sequence SaveFlowSequenceBody { project_id, sequence_id?, name,
//   description?, parameters?, flows?, expected_updated_at? } — creates a flow sequence (201,
// last in its project) or saves it (200), as an owner or admin of the project's organisation
// (issue 11; docs/projects-contract.md). A sequence that cannot run is refused with every
// problem at once: 400 invalid_sequence, `details: [{ path, code, message }]` from the domain's
// validateFlowSequence over the organisation's workflows (inputs: definition.inputs; outputs:
// the keys of definition.output_map) and the project's variables — the same function the
// editor and run-flow-sequence use. A bad body: 400 invalid_input with details. Saved by
// someone else since `expected_updated_at`: 409 stale; a name used in the project: 409
// name_taken. The save is public.save_flow_sequence through the service role, passing the
// caller, whom it checks again; it adds the flows' workflows to the project's workflow_ids.
import { requireUserClaims } from '../_shared/claims.ts';
import { createServiceClient, createUserClient } from '../_shared/clients.ts';
import {
  saveFlowSequenceBodySchema,
  type ProjectVariable,
} from '../_shared/domain/flows/schemas.ts';
import {
  validateFlowSequence,
  toWorkflowForSequence,
  type WorkflowForSequence,
} from '../_shared/domain/flows/validate-sequence.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { invalid, readBodyOrInvalid, requireEditor } from '../_shared/projects.ts';
import { BODY_LIMITS } from '../_shared/request.ts';

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub } = await requireUserClaims(req);
    const read = await readBodyOrInvalid(
      req,
      saveFlowSequenceBodySchema,
      BODY_LIMITS.saveFlowSequence,
    );
    if ('response' in read) return read.response;
    const { body } = read;
    if (body.expected_updated_at != null && Number.isNaN(Date.parse(body.expected_updated_at))) {
      const message = 'expected_updated_at must be a timestamp, as the sequence was read';
      return invalid('invalid_input', message, [
        { path: ['expected_updated_at'], code: 'invalid_format', message },
      ]);
    }

    // The project, read as the caller (RLS): not theirs → 404, as if it did not exist.
    const client = createUserClient(req);
    const project = await client
      .from('projects')
      .select('id, organisation_id, variables')
      .eq('id', body.project_id)
      .maybeSingle();
    if (project.error) throw new HttpError(500, 'query_failed', project.error.message);
    if (!project.data) throw new HttpError(404, 'not_found', 'project not found');
    const { organisation_id: organisationId, variables } = project.data as {
      organisation_id: string;
      variables: ProjectVariable[];
    };
    await requireEditor(client, organisationId, sub, 'edit flow sequences');

    const workflowIds = [...new Set(body.flows.map((flow) => flow.workflow_id))];
    const workflows = new Map<string, WorkflowForSequence>();
    if (workflowIds.length > 0) {
      const { data, error } = await client
        .from('workflows')
        .select('id, name, status, definition')
        .eq('organisation_id', organisationId)
        .in('id', workflowIds);
      if (error) throw new HttpError(500, 'query_failed', error.message);
      for (const w of data as { id: string; name: string; status: string; definition: unknown }[]) {
        workflows.set(w.id, toWorkflowForSequence(w));
      }
    }
    const problems = validateFlowSequence(body, { workflows, projectVariables: variables });
    if (problems.length > 0) {
      const count = problems.length;
      return invalid(
        'invalid_sequence',
        `The sequence has ${count} problem${count === 1 ? '' : 's'}: ${problems[0]?.message ?? ''}`,
        problems,
      );
    }

    const { data, error, status } = await createServiceClient().rpc('save_flow_sequence', {
      p_user_id: sub,
      p_project_id: body.project_id,
      p_sequence_id: body.sequence_id ?? null,
      p_name: body.name,
      p_description: body.description ?? null,
      p_parameters: body.parameters,
      p_flows: body.flows,
      p_expected_updated_at: body.expected_updated_at ?? null,
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    return json(body.sequence_id ? 200 : 201, data);
  }),
);
