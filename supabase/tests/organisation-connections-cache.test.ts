// An organisation's connections as execute-http-request applies them
// (supabase/functions/_shared/organisation-connections.ts, …007300): inside the ceiling, the
// organisation's own list, read once per few seconds, re-read before a refusal. No stack needed.
import { describe, expect, it } from 'vitest';
import {
  checkDestination,
  parseHostPolicy,
  type Resolver,
} from '../functions/_shared/executor-outbound.ts';
import { organisationPolicies } from '../functions/_shared/organisation-connections.ts';

const publicDns: Resolver = async () => ['8.8.8.8'];
const ceiling = parseHostPolicy('*.crm.com,api.other.com', 'HTTP_REQUEST_ALLOWED_HOSTS', 'none');

function setup(lists: Record<string, string[]>) {
  let now = 0;
  const reads: string[] = [];
  const policyFor = organisationPolicies(
    async (organisationId) => {
      reads.push(organisationId);
      return lists[organisationId] ?? [];
    },
    () => now,
    5_000,
  );
  const check = async (organisationId: string, url: string) => {
    const target = new URL(url);
    const organisation = await policyFor(organisationId, target.hostname);
    return checkDestination(target, { ...ceiling, organisation }, publicDns).then(
      () => 'allowed',
      (err: { code: string; message: string }) => `${err.code}: ${err.message}`,
    );
  };
  return { check, reads, lists, tick: (ms: number) => (now += ms) };
}

describe('organisation connections inside the ceiling', () => {
  it("a host in the ceiling and the organisation's connections is allowed", async () => {
    const { check } = setup({ a: ['api.crm.com'] });
    expect(await check('a', 'https://api.crm.com/hook')).toBe('allowed');
  });

  it("a host in the ceiling but not the organisation's connections is refused, naming Settings", async () => {
    const { check } = setup({ a: ['api.crm.com'] });
    expect(await check('a', 'https://api.other.com/x')).toBe(
      "host_not_allowed: api.other.com is not one of this organisation's connections: add it in Settings → Connections",
    );
  });

  it('a connection outside the ceiling is still refused by the ceiling', async () => {
    const { check } = setup({ a: ['evil.example'] });
    expect(await check('a', 'https://evil.example/')).toMatch(
      /^host_not_allowed: .*HTTP_REQUEST_ALLOWED_HOSTS/,
    );
  });

  it('a wildcard connection admits subdomains, not the domain itself', async () => {
    const { check } = setup({ a: ['*.crm.com'] });
    expect(await check('a', 'https://eu.crm.com/')).toBe('allowed');
    expect(await check('a', 'https://crm.com/')).toMatch(/^host_not_allowed/);
  });

  it("one organisation's connections do not admit another's calls", async () => {
    const { check } = setup({ a: ['api.crm.com'], b: [] });
    expect(await check('b', 'https://api.crm.com/')).toMatch(/^host_not_allowed/);
  });

  it('a list is reused for a few seconds; a miss is read again, so an added host works at once', async () => {
    const { check, reads, lists, tick } = setup({ a: ['api.crm.com'] });
    await check('a', 'https://api.crm.com/');
    await check('a', 'https://api.crm.com/');
    expect(reads).toEqual(['a']);
    lists.a = ['api.crm.com', 'eu.crm.com'];
    expect(await check('a', 'https://eu.crm.com/')).toBe('allowed');
    expect(reads).toEqual(['a', 'a']);
    lists.a = [];
    // A removal applies once the cached list is older than the cache time.
    expect(await check('a', 'https://eu.crm.com/')).toBe('allowed');
    tick(5_001);
    expect(await check('a', 'https://eu.crm.com/')).toMatch(/^host_not_allowed/);
  });
});
