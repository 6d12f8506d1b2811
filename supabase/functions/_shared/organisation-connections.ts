// An organisation's connections (Settings → Connections; migration …007300) as the host policy
// execute-http-request applies inside the deployment's ceiling. Read with the service role by
// the call's organisation_id and cached per organisation for a few seconds: a workflow's steps
// call the executor one after another, and a read per call would put a PostgREST round trip
// in front of every webhook. A host missing from a cached list is read again before it is
// refused, so a connection an owner has just added works at once; one just removed keeps
// working for at most CACHE_MS.
// Free of Deno APIs (the reader is passed in) so Node tests can import it.
import { matchHost, parseHostPolicy, type HostPolicy } from './executor-outbound.ts';

/** How long an organisation's list is reused; what a removal may take to apply. */
export const CONNECTIONS_CACHE_MS = 5_000;

/** Reads an organisation's connection hosts (`api.crm.com`, `*.crm.com`). */
export type ConnectionsReader = (organisationId: string) => Promise<string[]>;

export const CONNECTIONS_SOURCE = 'Settings → Connections';

export function organisationPolicies(
  read: ConnectionsReader,
  now: () => number = Date.now,
  cacheMs: number = CONNECTIONS_CACHE_MS,
): (organisationId: string, host: string) => Promise<HostPolicy> {
  const cache = new Map<string, { at: number; policy: HostPolicy }>();
  return async (organisationId, host) => {
    const cached = cache.get(organisationId);
    if (cached && now() - cached.at < cacheMs && matchHost(host, cached.policy))
      return cached.policy;
    const policy = parseHostPolicy(
      (await read(organisationId)).join(','),
      CONNECTIONS_SOURCE,
      'none',
    );
    // Bounded: one entry per organisation that called in the isolate's life; drop the oldest.
    if (cache.size >= 1000 && !cache.has(organisationId))
      cache.delete(cache.keys().next().value as string);
    cache.set(organisationId, { at: now(), policy });
    return policy;
  };
}
