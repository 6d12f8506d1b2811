import type { Queryable } from './db.ts';
import { internalError } from './errors.ts';
import { newRefreshToken } from './tokens.ts';

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  aal: string | null;
  not_after: Date | null;
}

export interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  session_id: string | null;
  parent: string | null;
  revoked: boolean;
  /** Whether GoTrue's refresh_token_reuse_interval, counted from the last update, still runs. */
  within_reuse_interval: boolean;
}

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export async function createSession(
  db: Queryable,
  userId: string,
  client: ClientInfo,
): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values (gen_random_uuid(), $1, now(), now(), 'aal1', $2, $3::inet)
     returning id, user_id, created_at, aal, not_after`,
    [userId, client.userAgent, client.ip],
  );
  const session = rows[0];
  if (!session) throw internalError('Database error granting user');
  return session;
}

export async function findSession(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<SessionRow | null> {
  const { rows } = await db.query<SessionRow>(
    `select id, user_id, created_at, aal, not_after from auth.sessions where id = $1${forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** A new refresh token in a session; `parent` is the token it replaces, if any. */
export async function insertRefreshToken(
  db: Queryable,
  token: { userId: string; sessionId: string; parent: string | null },
): Promise<string> {
  const { rows } = await db.query<{ token: string }>(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)
     returning token`,
    [newRefreshToken(), token.userId, token.parent, token.sessionId],
  );
  const value = rows[0]?.token;
  if (!value) throw internalError('Database error granting user');
  return value;
}

/**
 * The token and its session, both locked for the rest of the transaction so that one of two
 * racing refreshes wins and the other sees the token already revoked. The session is locked
 * first, always: revoking a token family touches every token of the session, so locking a
 * token before its session could deadlock against a concurrent refresh in the same session.
 */
export async function lockRefreshToken(
  db: Queryable,
  token: string,
  reuseIntervalSeconds: number,
): Promise<{ token: RefreshTokenRow; session: SessionRow | null } | null> {
  const { rows: peek } = await db.query<{ session_id: string | null }>(
    `select session_id from auth.refresh_tokens where token = $1`,
    [token],
  );
  if (peek.length === 0) return null;
  const sessionId = peek[0]?.session_id ?? null;
  const session = sessionId ? await findSession(db, sessionId, true) : null;
  const { rows } = await db.query<RefreshTokenRow>(
    `select id, token, user_id, session_id, parent, revoked,
            now() <= updated_at + make_interval(secs => $2::float8) as within_reuse_interval
       from auth.refresh_tokens where token = $1 for update`,
    [token, reuseIntervalSeconds],
  );
  const row = rows[0];
  return row ? { token: row, session } : null;
}

/** GoTrue's FindCurrentlyActiveRefreshToken: the session's newest unrevoked token. */
export async function activeRefreshToken(
  db: Queryable,
  sessionId: string,
): Promise<{ token: string; parent: string | null } | null> {
  const { rows } = await db.query<{ token: string; parent: string | null }>(
    `select token, parent from auth.refresh_tokens
      where session_id = $1 and revoked = false order by id desc limit 1`,
    [sessionId],
  );
  return rows[0] ?? null;
}

/** Revoking stamps updated_at: the reuse interval is counted from the moment of revocation. */
export async function revokeRefreshToken(db: Queryable, id: string): Promise<void> {
  await db.query(
    `update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`,
    [id],
  );
}

/** GoTrue's RevokeTokenFamily for a token with a session: every live token of the session. */
export async function revokeSessionRefreshTokens(db: Queryable, sessionId: string): Promise<void> {
  await db.query(
    `update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false`,
    [sessionId],
  );
}

export async function deleteRefreshToken(db: Queryable, id: string): Promise<void> {
  await db.query(`delete from auth.refresh_tokens where id = $1`, [id]);
}

export async function touchSessionRefresh(
  db: Queryable,
  sessionId: string,
  client: ClientInfo,
): Promise<void> {
  await db.query(
    `update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now(), user_agent = $2, ip = $3::inet
      where id = $1`,
    [sessionId, client.userAgent, client.ip],
  );
}

/** Logout, scope local. Refresh tokens go with the session (on delete cascade). */
export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query(`delete from auth.sessions where id = $1`, [sessionId]);
}

/** Logout, scope global (every session) or others (all but `exceptSessionId`). */
export async function deleteUserSessions(
  db: Queryable,
  userId: string,
  exceptSessionId?: string,
): Promise<void> {
  await db.query(`delete from auth.sessions where user_id = $1 and id is distinct from $2::uuid`, [
    userId,
    exceptSessionId ?? null,
  ]);
}

/** Logout with a token that carries no session: GoTrue's LogoutAllRefreshTokens. */
export async function deleteUserRefreshTokens(db: Queryable, userId: string): Promise<void> {
  await db.query(`delete from auth.refresh_tokens where user_id = $1`, [userId]);
}
