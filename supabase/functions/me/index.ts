// GET /functions/v1/me — the caller's profile and organisations, read as the caller (RLS).
// The smallest user-facing function: proves JWT forwarding and RLS through the functions path.
import { createUserClient, requireUser } from '../_shared/clients.ts';
import { handle, HttpError, json } from '../_shared/http.ts';

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET');
    const client = createUserClient(req);
    const user = await requireUser(client);
    const { data, error } = await client
      .from('organisation_members')
      .select('role, organisation:organisations(id, name)')
      .eq('user_id', user.id);
    if (error) throw new HttpError(500, 'query_failed', error.message);
    return json(200, { user, memberships: data });
  }),
);
