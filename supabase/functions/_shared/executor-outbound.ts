// Outbound HTTP for executors (execute-http-request, and execute-gemini-prompt's audio URLs).
// A workflow's input decides the URL, so without a policy any job could make the functions call
// internal services or the cloud metadata endpoint (SSRF). The policy:
//   - http and https only;
//   - the host must be on a list (exact names, or `*.example.com` for any subdomain), or, for a
//     policy that allows any public host, merely public;
//   - the host's addresses must all be public (not loopback, private, link-local — which holds
//     the 169.254.169.254 metadata endpoint —, CGNAT, multicast or reserved) unless that exact
//     host is listed: listing `127.0.0.1` or `billing.internal` is a deliberate opt-in;
//   - redirects are followed by hand, each hop checked the same way;
//   - a timeout for the whole exchange and a cap on the response size.
// The check resolves the name and fetch resolves it again, so a DNS server that answers
// differently the second time (rebinding) can get past it; closing that needs connecting to
// the checked address, which fetch does not offer. Exact listing of internal hosts is the
// supported way to reach them.
// Free of Deno APIs (the resolver is passed in) so Node tests can import it.
import { ExecutorError } from './executor.ts';
import { readCapped } from './read-capped.ts';

export interface HostPolicy {
  /** Names the env lists exactly: allowed, and exempt from the address check. */
  exact: ReadonlySet<string>;
  /** From `*.example.com` entries: `.example.com`, matched as a suffix. */
  suffixes: readonly string[];
  /** True when nothing is listed and the policy allows every public host. */
  anyPublicHost: boolean;
  /** The environment variable the list comes from, named in refusals. */
  source: string;
  /**
   * The calling organisation's own list (Settings → Connections), when the call names one: a
   * host must be on it as well as within this policy, the deployment's ceiling. Checked first,
   * since it is the list an owner can fix.
   */
  organisation?: HostPolicy;
}

/** Resolves a host name to its IP addresses (Deno.resolveDns in the functions). */
export type Resolver = (host: string) => Promise<string[]>;

const normaliseHost = (host: string): string =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

/**
 * Parses a comma-separated host list. `whenEmpty` says what an empty list means: `'none'`
 * (nothing allowed; execute-http-request) or `'public'` (any public host; audio URLs).
 */
export function parseHostPolicy(
  raw: string | undefined,
  source: string,
  whenEmpty: 'none' | 'public',
): HostPolicy {
  const entries = (raw ?? '')
    .split(',')
    // Entries name hosts; a port someone adds out of habit (`api.example.com:8443`) is ignored.
    .map((entry) => normaliseHost(entry.trim().replace(/^([^:[\]]+):\d+$/, '$1')))
    .filter((entry) => entry.length > 0);
  const exact = new Set(entries.filter((entry) => !entry.startsWith('*.')));
  const suffixes = entries.filter((entry) => entry.startsWith('*.')).map((entry) => entry.slice(1));
  return { exact, suffixes, anyPublicHost: entries.length === 0 && whenEmpty === 'public', source };
}

/** `exact` when the host is listed by name, `pattern` when a wildcard or "any public" admits it. */
export function matchHost(host: string, policy: HostPolicy): 'exact' | 'pattern' | undefined {
  const name = normaliseHost(host);
  if (policy.exact.has(name)) return 'exact';
  if (policy.suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length))
    return 'pattern';
  return policy.anyPublicHost ? 'pattern' : undefined;
}

function parseIpv4(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    return undefined;
  return parts.map(Number);
}

/** Eight 16-bit groups, or undefined when `ip` is not an IPv6 address. */
function parseIpv6(ip: string): number[] | undefined {
  if (!ip.includes(':')) return undefined;
  let text = ip.replace(/%.*$/, ''); // zone id
  // A dotted IPv4 tail (::ffff:10.0.0.1) is two more groups.
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]!);
    if (!v4) return undefined;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    text = `${dotted[1]}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s ? s.split(':') : []);
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const parse = (g: string) => parseInt(g, 16);
  return [...head.map(parse), ...new Array<number>(8 - known).fill(0), ...rest.map(parse)];
}

function publicIpv4([a, b, c]: number[]): boolean {
  if (a === undefined || b === undefined || c === undefined) return false;
  if (a === 0 || a === 10 || a === 127) return false; // this network, private, loopback
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT (and Alibaba's metadata)
  if (a === 169 && b === 254) return false; // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && c === 0) return false; // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

/** Whether an IP address is on the public internet. Anything unparseable is not. */
export function isPublicAddress(ip: string): boolean {
  const address = normaliseHost(ip);
  const v4 = parseIpv4(address);
  if (v4) return publicIpv4(v4);
  const v6 = parseIpv6(address);
  if (!v6) return false;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = v6 as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const embedded = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    if (g5 === 0xffff) return publicIpv4(embedded); // IPv4-mapped
    return false; // ::, ::1, IPv4-compatible
  }
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0)
    return publicIpv4(embedded); // IPv4-translated (SIIT, ::ffff:0:a.b.c.d)
  if (g0 === 0x64 && g1 === 0xff9b && !g2 && !g3 && !g4 && !g5) return publicIpv4(embedded); // NAT64
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return false; // local-use NAT64 (RFC 8215)
  // 6to4 carries an IPv4 address in groups 1-2: 2002:a9fe:a9fe:: is the metadata endpoint.
  if (g0 === 0x2002) return publicIpv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]);
  if (g0 === 0x2001 && g1 === 0) return false; // Teredo: tunnels to IPv4 addresses
  if (g0 === 0x100 && !g1 && !g2 && !g3) return false; // discard-only
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local (fd00:ec2::254 is AWS metadata)
  if ((g0 & 0xffc0) === 0xfec0) return false; // site-local (deprecated, still routed locally)
  if ((g0 & 0xffc0) === 0xfe80) return false; // link-local
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0xdb8) return false; // documentation
  return true;
}

const isIpLiteral = (host: string): boolean =>
  parseIpv4(host) !== undefined || parseIpv6(host) !== undefined;

const refuse = (code: string, message: string) =>
  new ExecutorError(code, message, { retryable: false, status: 422 });

/** Throws an ExecutorError unless the policy lets an executor call `url`. */
export async function checkDestination(
  url: URL,
  policy: HostPolicy,
  resolve: Resolver,
): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse('url_not_allowed', `Only http and https URLs are allowed, not ${url.protocol}`);
  const host = normaliseHost(url.hostname);
  if (policy.organisation && !matchHost(host, policy.organisation)) {
    throw refuse(
      'host_not_allowed',
      `${host} is not one of this organisation's connections: add it in Settings → Connections`,
    );
  }
  const match = matchHost(host, policy);
  if (!match) {
    throw refuse(
      'host_not_allowed',
      `The host ${host} is not allowed: add it to ${policy.source} (comma-separated; *.example.com for subdomains)`,
    );
  }
  if (match === 'exact') return;

  let addresses: string[];
  if (isIpLiteral(host)) addresses = [host];
  // RFC 6761: localhost and its subdomains are loopback, whatever a DNS server says.
  else if (host === 'localhost' || host.endsWith('.localhost')) addresses = ['127.0.0.1'];
  else addresses = await resolve(host);
  const internal = addresses.find((address) => !isPublicAddress(address));
  if (internal !== undefined) {
    throw refuse(
      'address_not_allowed',
      `The host ${host} resolves to ${internal}, a loopback, private, link-local or reserved address; list ${host} exactly in ${policy.source} to allow it`,
    );
  }
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

export interface OutboundOptions {
  method: string;
  headers: Headers;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
}

const responseTooLarge = (maxBytes: number) =>
  new ExecutorError(
    'response_too_large',
    `The response is larger than the ${maxBytes}-byte limit`,
    {
      retryable: false,
      status: 502,
    },
  );

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * fetch with the policy applied to the URL and to every redirect hop, a timeout over the whole
 * exchange and a size cap on the body. Network failures and timeouts are retryable.
 */
export async function fetchOutbound(
  target: URL,
  options: OutboundOptions,
  policy: HostPolicy,
  resolve: Resolver,
): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const maxRedirects = options.maxRedirects ?? 5;
  let url = target;
  let { method, body } = options;
  const headers = new Headers(options.headers);
  try {
    await checkDestination(url, policy, resolve);
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, { method, headers, body, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) {
        return {
          status: response.status,
          headers: response.headers,
          body: await readCapped(response, options.maxBytes, () =>
            responseTooLarge(options.maxBytes),
          ),
          url: url.href,
        };
      }
      await response.body?.cancel();
      if (hop >= maxRedirects)
        throw refuse(
          'too_many_redirects',
          `More than ${maxRedirects} redirects from ${target.href}`,
        );
      const next = new URL(location, url);
      try {
        await checkDestination(next, policy, resolve);
      } catch (err) {
        if (!(err instanceof ExecutorError) || err.retryable) throw err;
        throw refuse(
          'redirect_not_allowed',
          `Refused to follow a redirect to ${next.href}: ${err.message}`,
        );
      }
      // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body;
      // credentials are not carried to another origin.
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
        headers.delete('content-type');
      }
      if (next.origin !== url.origin) {
        headers.delete('authorization');
        headers.delete('cookie');
      }
      url = next;
    }
  } catch (err) {
    if (err instanceof ExecutorError) throw err;
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || signal.aborted) {
      throw new ExecutorError(
        'upstream_timeout',
        `No complete answer from ${url.host} within ${options.timeoutMs} ms`,
        { retryable: true, status: 504 },
      );
    }
    throw new ExecutorError(
      'upstream_unreachable',
      `Could not reach ${url.host}: ${err instanceof Error ? err.message : String(err)}`,
      { retryable: true, status: 502 },
    );
  }
}

/** Deno.resolveDns as a Resolver: A and AAAA; no records at all → a non-retryable refusal. */
export function dnsResolver(
  resolveDns: (host: string, type: 'A' | 'AAAA') => Promise<string[]>,
): Resolver {
  return async (host) => {
    const results = await Promise.allSettled([resolveDns(host, 'A'), resolveDns(host, 'AAAA')]);
    const addresses = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    if (addresses.length) return addresses;
    const notFound = results.every(
      (r) => r.status === 'rejected' && (r.reason as Error | undefined)?.name === 'NotFound',
    );
    if (notFound) throw refuse('host_not_found', `The host ${host} has no DNS records`);
    throw new ExecutorError('dns_failed', `Could not resolve ${host}`, {
      retryable: true,
      status: 502,
    });
  };
}
