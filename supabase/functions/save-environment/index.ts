// POST /functions/v1/save-environment SaveEnvironmentBody { organisation_id, environment_id?,
//   name, description?, api_hosts?, variables?: [{ name, secret, value? }] } — creates an
// environment (201) or saves it (200), as an owner or admin of its organisation (issue 11;
// docs/projects-contract.md). A secret's value is write-only: a string replaces the stored
// value, null or absent keeps it; the answer holds `{ value: null, has_value }` for it,
// never the value. Bad bodies: 400 invalid_input with `details` naming every field;
// a name already used in the organisation: 409 name_taken. Environments have no write
// privileges for users: the save is public.save_environment through the service role,
// passing the caller, whom it checks again (403 members, 404 non-members).
import { requireUserClaims } from '../_shared/claims.ts';
import { createServiceClient, createUserClient } from '../_shared/clients.ts';
import { saveEnvironmentBodySchema } from '../_shared/domain/flows/schemas.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { readBodyOrInvalid, requireEditor } from '../_shared/projects.ts';
import { BODY_LIMITS } from '../_shared/request.ts';

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub } = await requireUserClaims(req);
    const read = await readBodyOrInvalid(
      req,
      saveEnvironmentBodySchema,
      BODY_LIMITS.saveEnvironment,
    );
    if ('response' in read) return read.response;
    const { body } = read;
    await requireEditor(createUserClient(req), body.organisation_id, sub, 'edit environments');

    const { data, error, status } = await createServiceClient().rpc('save_environment', {
      p_user_id: sub,
      p_organisation_id: body.organisation_id,
      p_environment_id: body.environment_id ?? null,
      p_name: body.name,
      p_description: body.description ?? null,
      p_api_hosts: body.api_hosts,
      p_variables: body.variables.map((v) => ({
        name: v.name,
        secret: v.secret,
        value: v.value ?? null,
      })),
    });
    if (error) throw httpErrorFromPostgrest(error, status);
    return json(body.environment_id ? 200 : 201, data);
  }),
);
