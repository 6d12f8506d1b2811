// What save-environment, save-project and save-flow-sequence share (issue 11;
// docs/projects-contract.md): the body read with every problem named, and the caller's role
// in an organisation read as the caller.
import type { SupabaseClient } from 'npm:@supabase/supabase-js@2';
import { z } from 'npm:zod@^4.1.0';
import { HttpError, json } from './http.ts';
import { issueDetails, readBody, type IssueDetail } from './request.ts';

/** A 400 whose `details` list every problem: `[{ path, code, message }]`. */
export function invalid(code: string, message: string, details: readonly unknown[]): Response {
  return json(400, { error: { code, message, details } });
}

const summary = (details: IssueDetail[]): string => {
  const first = details[0];
  if (!first) return 'The request is invalid';
  return first.path.length > 0 ? `${first.path.join('.')}: ${first.message}` : first.message;
};

/**
 * The body checked against `schema`, or a 400 `invalid_input` Response naming every bad
 * field (readBody names only the first; an editor marks them all). Size, JSON syntax, depth
 * and unstorable strings are readBody's.
 */
export async function readBodyOrInvalid<T extends z.ZodType>(
  req: Request,
  schema: T,
  maxBytes: number,
): Promise<{ body: z.infer<T> } | { response: Response }> {
  // readBody's own checks first (any JSON value passes z.unknown()); then the real schema.
  const raw: unknown = await readBody(req, z.unknown(), maxBytes);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { body: parsed.data };
  const details = issueDetails(parsed.error);
  return { response: invalid('invalid_input', summary(details), details) };
}

/**
 * The caller's role in the organisation, read as the caller through PostgREST (which
 * verifies their token): 404 when they are not a member (they learn nothing about it), 403
 * for a member when an owner or admin is needed.
 */
export async function requireEditor(
  client: SupabaseClient,
  organisationId: string,
  userId: string,
  what: string,
): Promise<'owner' | 'admin'> {
  const { data, error } = await client
    .from('organisation_members')
    .select('role')
    .eq('organisation_id', organisationId)
    .eq('user_id', userId)
    .maybeSingle();
  if (error) throw new HttpError(500, 'query_failed', error.message);
  const role = (data as { role: string } | null)?.role;
  if (!role) throw new HttpError(404, 'not_found', 'organisation not found');
  if (role !== 'owner' && role !== 'admin') {
    throw new HttpError(403, 'forbidden', `only owners and admins can ${what}`);
  }
  return role;
}
