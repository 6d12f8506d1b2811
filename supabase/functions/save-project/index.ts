// POST /functions/v1/save-project SaveProjectBody { organisation_id, project_id?, slug, name,
//   description?, status?, environment_id?, api_hosts?, variables?, workflow_ids? } — creates a
// project (201) or saves it (200), as an owner or admin of its organisation (issue 11;
// docs/projects-contract.md). Refused with 400 and `details`: a bad body (invalid_input),
// variables reading environment variables the linked environment does not have
// (unknown_environment_variable), an environment or workflow of another organisation
// (unknown_environment, unknown_workflow); a slug already used: 409 slug_taken.
// The saved project comes back with `warnings: [{ path, code, message }]`: a variable and an
// API host of the same name (the variable wins in `$.variables`). The save itself is
// public.save_project through the service role, passing the caller, whom it checks again.
import { requireUserClaims } from '../_shared/claims.ts';
import { createServiceClient, createUserClient } from '../_shared/clients.ts';
import {
  saveProjectBodySchema,
  type EnvironmentVariable,
} from '../_shared/domain/flows/schemas.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { invalid, readBodyOrInvalid, requireEditor } from '../_shared/projects.ts';
import { BODY_LIMITS } from '../_shared/request.ts';

type Detail = { path: (string | number)[]; code: string; message: string };

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub } = await requireUserClaims(req);
    const read = await readBodyOrInvalid(req, saveProjectBodySchema, BODY_LIMITS.saveProject);
    if ('response' in read) return read.response;
    const { body } = read;
    const client = createUserClient(req);
    await requireEditor(client, body.organisation_id, sub, 'edit projects');

    // The linked environment, read as the caller: its variables (secrets masked) are what the
    // project's `environment` variables may name.
    type LinkedEnvironment = {
      api_hosts: Record<string, string>;
      variables: EnvironmentVariable[];
    };
    let environment: LinkedEnvironment | null = null;
    if (body.environment_id) {
      const { data, error } = await client
        .from('environments')
        .select('api_hosts, variables')
        .eq('id', body.environment_id)
        .eq('organisation_id', body.organisation_id)
        .maybeSingle();
      if (error) throw new HttpError(500, 'query_failed', error.message);
      if (!data) {
        return invalid('unknown_environment', "The environment is not one of this organisation's", [
          {
            path: ['environment_id'],
            code: 'unknown_environment',
            message: "The environment is not one of this organisation's",
          },
        ]);
      }
      environment = data as LinkedEnvironment;
    }

    if (environment) {
      const names = new Set(environment.variables.map((v) => v.name));
      const unknown: Detail[] = [];
      const missing = new Set<string>();
      body.variables.forEach((variable, index) => {
        if (variable.source === 'environment' && !names.has(variable.environment_variable)) {
          missing.add(variable.environment_variable);
          unknown.push({
            path: ['variables', index, 'environment_variable'],
            code: 'unknown_environment_variable',
            message: `Variable ${variable.name} reads ${variable.environment_variable}, which the linked environment does not have`,
          });
        }
      });
      if (unknown.length > 0) {
        return invalid(
          'unknown_environment_variable',
          `The linked environment has no variable ${[...missing].join(', ')}`,
          unknown,
        );
      }
    }

    // The workflows it uses must be the organisation's (the RPC refuses them too, without
    // saying which): each one that is not is named.
    if (body.workflow_ids.length > 0) {
      const { data, error } = await client
        .from('workflows')
        .select('id')
        .eq('organisation_id', body.organisation_id)
        .in('id', body.workflow_ids);
      if (error) throw new HttpError(500, 'query_failed', error.message);
      const known = new Set((data as { id: string }[]).map((w) => w.id));
      const unknown: Detail[] = body.workflow_ids.flatMap((id, index) =>
        known.has(id)
          ? []
          : [
              {
                path: ['workflow_ids', index],
                code: 'unknown_workflow',
                message: `Workflow ${id} is not one of this organisation's`,
              },
            ],
      );
      if (unknown.length > 0) {
        return invalid('unknown_workflow', unknown[0]!.message, unknown);
      }
    }

    const { data, error, status } = await createServiceClient().rpc('save_project', {
      p_user_id: sub,
      p_organisation_id: body.organisation_id,
      p_project_id: body.project_id ?? null,
      p_slug: body.slug,
      p_name: body.name,
      p_description: body.description ?? null,
      p_status: body.status,
      p_environment_id: body.environment_id ?? null,
      p_api_hosts: body.api_hosts,
      p_variables: body.variables,
      p_workflow_ids: body.workflow_ids,
    });
    if (error) throw httpErrorFromPostgrest(error, status);

    // Saved, but maybe not as meant: in `$.variables` a variable hides a host of its name.
    const hosts = new Set([
      ...Object.keys(body.api_hosts),
      ...Object.keys(environment?.api_hosts ?? {}),
    ]);
    const warnings: Detail[] = body.variables.flatMap((variable, index) =>
      hosts.has(variable.name)
        ? [
            {
              path: ['variables', index, 'name'],
              code: 'shadows_api_host',
              message: `Variable ${variable.name} has the name of an API host: workflows reading $.variables.${variable.name} get the variable, not the host`,
            },
          ]
        : [],
    );
    return json(body.project_id ? 200 : 201, { ...(data as Record<string, unknown>), warnings });
  }),
);
