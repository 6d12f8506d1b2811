// POST /functions/v1/save-workflow { organisation_id, workflow_id?, key, name, description?,
//   definition, retry_policy?, change_description?, expected_version?, restored_from? } —
// creates a workflow (201) or saves it (200), as an owner or admin of its organisation (seed
// 003 iteration 4; docs/workflows-contract.md); restored_from names the version a restore
// brings back (recorded on the new version). The definition is validated here with the
// domain package (graph, cycles, RFC 9535 JSONPath, transformers the organisation can use):
// every problem comes back at once with its path, relative to the definition, as the editor
// shows them:
//   400 { error: { code: 'invalid_definition', message, details: [{ path, code, message }] } }
// (likewise 'invalid_retry_policy', paths relative to retry_policy). A saved workflow comes
// back with `warnings: [{ path, code, message }]` about what saves but may not work as meant
// (a path reading $.variables, which nothing fills yet). Workflows have no write
// privileges for users, so the save itself is public.save_workflow through the service role,
// passing the caller, whom it checks again (403 for members, 404 for non-members).
import { requireUserClaims } from '../_shared/claims.ts';
import { createServiceClient, createUserClient } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, issueDetails, readBody } from '../_shared/request.ts';
import { saveWorkflowBodySchema } from '../_shared/workflow-inputs.ts';
import { retryPolicySchema } from '../_shared/domain/backoff.ts';
import { retiredTransformerErrors, type TransformerRow } from '../_shared/retired-transformers.ts';
import {
  validateWorkflowDefinition,
  workflowDefinitionWarnings,
} from '../_shared/domain/workflow-definition.ts';
import { stepConfigErrors, type TransformerForConfig } from '../_shared/domain/step-config.ts';

const invalid = (code: string, message: string, details: unknown[]) =>
  json(400, { error: { code, message, details } });

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub } = await requireUserClaims(req);
    const body = await readBody(req, saveWorkflowBodySchema, BODY_LIMITS.saveWorkflow);
    const client = createUserClient(req);

    // Read as the user, through PostgREST, which verifies their token: a member row here
    // proves who is asking before the service role acts for them.
    const [membership, transformers] = await Promise.all([
      client
        .from('organisation_members')
        .select('role')
        .eq('organisation_id', body.organisation_id)
        .eq('user_id', sub)
        .maybeSingle(),
      client
        .from('transformers')
        // config and config_schema: each step's merged config is checked (issue 12 §3).
        .select('id, retired_at, organisation_id, type, config, config_schema')
        .or(`organisation_id.is.null,organisation_id.eq.${body.organisation_id}`),
    ]);
    if (membership.error) throw new HttpError(500, 'query_failed', membership.error.message);
    if (transformers.error) throw new HttpError(500, 'query_failed', transformers.error.message);
    const role = (membership.data as { role: string } | null)?.role;
    if (!role) throw new HttpError(404, 'not_found', 'organisation not found');
    if (role !== 'owner' && role !== 'admin') {
      throw new HttpError(403, 'forbidden', 'only owners and admins can edit workflows');
    }

    const validation = validateWorkflowDefinition(body.definition, {
      knownTransformerIds: (transformers.data as { id: string }[]).map((t) => t.id),
    });
    if (!validation.ok) {
      const count = validation.errors.length;
      return invalid(
        'invalid_definition',
        `The definition has ${count} problem${count === 1 ? '' : 's'}: ${validation.errors[0]?.message ?? ''}`,
        validation.errors,
      );
    }
    const retired = await retiredTransformerErrors(
      client,
      body.organisation_id,
      body.workflow_id,
      validation.definition,
      transformers.data as TransformerRow[],
    );
    if (retired.length > 0) {
      return invalid(
        'invalid_definition',
        `The definition has ${retired.length} problem${retired.length === 1 ? '' : 's'}: ${retired[0]!.message}`,
        retired,
      );
    }
    // Typed config (issue 12 §3): the config each executor will receive, against its
    // transformer's config_schema, errors at steps.<id>.config.<field>.
    const configErrors = stepConfigErrors(
      validation.definition,
      transformers.data as TransformerForConfig[],
    );
    if (configErrors.length > 0) {
      return invalid(
        'invalid_definition',
        `The definition has ${configErrors.length} problem${configErrors.length === 1 ? '' : 's'}: ${configErrors[0]!.message}`,
        configErrors,
      );
    }
    const policy = retryPolicySchema.safeParse(body.retry_policy ?? {});
    if (!policy.success) {
      const details = issueDetails(policy.error);
      return invalid(
        'invalid_retry_policy',
        `The retry policy is invalid: ${details[0]?.message ?? ''}`,
        details,
      );
    }

    // Stored with its defaults filled in, so omitting the policy and spelling out the
    // defaults are the same policy and neither writes a new version.
    const { data, error, status } = await createServiceClient().rpc('save_workflow', {
      p_user_id: sub,
      p_organisation_id: body.organisation_id,
      p_workflow_id: body.workflow_id ?? null,
      p_key: body.key,
      p_name: body.name.trim(),
      p_description: body.description ?? null,
      p_definition: validation.definition,
      p_retry_policy: policy.data,
      p_change_description: body.change_description ?? null,
      p_expected_version: body.expected_version ?? null,
      p_restored_from: body.restored_from ?? null,
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    const warnings = workflowDefinitionWarnings(validation.definition);
    return json(body.workflow_id ? 200 : 201, { ...(data as Record<string, unknown>), warnings });
  }),
);
