// An organisation's connections (issue 12 §9, Settings → Connections): the hosts its
// http-request steps may call, within the deployment's HTTP_REQUEST_ALLOWED_HOSTS. The same
// rule as the table's check constraint (migration …007300): the web form checks it as the
// user types, the database on insert.
import { z } from 'zod';

/** At most this many connections per organisation (the table's trigger enforces it). */
export const MAX_CONNECTIONS = 100;

/**
 * A lower-case host name (`api.crm.com`, `127.0.0.1`) or a wildcard for its subdomains
 * (`*.crm.com`, which does not admit `crm.com` itself): DNS labels of 1–63 letters, digits
 * and inner hyphens; no scheme, port or path.
 */
export const CONNECTION_HOST_PATTERN =
  /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** What someone typed, as the host they meant: trimmed, lower-case, a trailing dot dropped. */
export const normaliseConnectionHost = (raw: string): string =>
  raw.trim().toLowerCase().replace(/\.$/, '');

/** Why `host` (already normalised) is not a connection host, or null when it is. */
export function connectionHostProblem(host: string): string | null {
  if (host.length === 0) return 'Enter a host, such as api.crm.com';
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host))
    return 'Enter the host only, without http:// or https://';
  if (/[/?#]/.test(host)) return 'Enter the host only, without a path';
  if (/:\d+$/.test(host)) return 'Enter the host without a port';
  if (host.length > 253) return 'A host is at most 253 characters';
  if (!CONNECTION_HOST_PATTERN.test(host))
    return 'Use letters, digits, dots and hyphens, or *. before a domain for its subdomains';
  return null;
}

export const connectionInputSchema = z.object({
  host: z
    .string()
    .transform(normaliseConnectionHost)
    .superRefine((host, ctx) => {
      const problem = connectionHostProblem(host);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  description: z
    .string()
    .trim()
    .max(500, 'A description is at most 500 characters')
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional(),
});

export type ConnectionInput = z.input<typeof connectionInputSchema>;
