// Where the back end is: the stack under test is given by the environment, as the
// project's test runner (`pnpm test`) and CI provide it.
export type StackEnv = { supabaseUrl: string; anonKey: string };

export function stackFromEnv(): StackEnv {
  const supabaseUrl = process.env['SUPABASE_URL'];
  const anonKey = process.env['SUPABASE_ANON_KEY'];
  if (!supabaseUrl || !anonKey) {
    throw new Error(
      'The e2e tests need a running stack: set SUPABASE_URL and SUPABASE_ANON_KEY ' +
        '(`pnpm stack status -o env` prints API_URL and ANON_KEY), or run them through `pnpm test`.',
    );
  }
  return { supabaseUrl, anonKey };
}

/** The seeded demo users (supabase/seed.sql). */
export const demoUsers = {
  rep: { email: 'rep@forkflow.test', password: 'password123', fullName: 'Remy Rep' },
  owner: { email: 'owner@forkflow.test', password: 'password123', fullName: 'Olivia Owner' },
} as const;

export const demoOrganisation = 'Harbour Street Sales';

/** A user's access token, signed in over plain HTTP; undefined if the sign-in is refused. */
export async function fetchAccessToken(
  stack: StackEnv,
  user: { email: string; password: string },
): Promise<string | undefined> {
  const token = await fetch(`${stack.supabaseUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  }).then((response) => response.json() as Promise<{ access_token?: string }>);
  return token.access_token;
}

/** Delete a table's rows by name as a user, over plain HTTP (test clean-up, no client state). */
export async function deleteRowsNamed(
  stack: StackEnv,
  user: { email: string; password: string },
  table: 'restaurants' | 'sequence_templates',
  name: string,
): Promise<void> {
  const token = await fetchAccessToken(stack, user);
  if (!token) return;
  const headers = {
    apikey: stack.anonKey,
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  };
  // No DELETE through the API: the rows go to the trash by id, as the app does it.
  const found = await fetch(
    `${stack.supabaseUrl}/rest/v1/${table}?select=id&name=eq.${encodeURIComponent(name)}`,
    { headers },
  );
  const ids = ((await found.json()) as { id: string }[]).map((row) => row.id);
  if (ids.length === 0) return;
  await fetch(`${stack.supabaseUrl}/rest/v1/rpc/move_to_trash`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      p_kind: table === 'restaurants' ? 'restaurant' : 'sequence_template',
      p_ids: ids,
    }),
  });
}

/** Archive workflows by key as a user, over plain HTTP (test clean-up, no client state). */
export async function archiveWorkflowsKeyed(
  stack: StackEnv,
  user: { email: string; password: string },
  key: string,
): Promise<void> {
  const token = await fetchAccessToken(stack, user);
  if (!token) return;
  const auth = {
    apikey: stack.anonKey,
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  };
  const rows = await fetch(
    `${stack.supabaseUrl}/rest/v1/workflows?select=id&key=eq.${encodeURIComponent(key)}`,
    { headers: auth },
  ).then((response) => (response.ok ? (response.json() as Promise<{ id: string }[]>) : []));
  for (const row of rows) {
    await fetch(`${stack.supabaseUrl}/rest/v1/rpc/set_workflow_status`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ p_workflow_id: row.id, p_status: 'archived' }),
    });
  }
}
