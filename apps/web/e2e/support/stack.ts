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

/** Delete rows by name as a user, over plain HTTP (test clean-up, no client state). */
export async function deleteRestaurantsNamed(
  stack: StackEnv,
  user: { email: string; password: string },
  name: string,
): Promise<void> {
  const headers = { apikey: stack.anonKey, 'content-type': 'application/json' };
  const token = await fetch(`${stack.supabaseUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: user.email, password: user.password }),
  }).then((response) => response.json() as Promise<{ access_token?: string }>);
  if (!token.access_token) return;
  await fetch(`${stack.supabaseUrl}/rest/v1/restaurants?name=eq.${encodeURIComponent(name)}`, {
    method: 'DELETE',
    headers: { ...headers, authorization: `Bearer ${token.access_token}` },
  });
}
