// POST /functions/v1/execute-http-request — calls an external HTTP endpoint for a workflow step
// (integrations, webhooks). Input { method, url, headers?, body? } (each may default from the
// transformer's config) → output { status, headers, body }, a JSON body parsed.
// Only hosts in HTTP_REQUEST_ALLOWED_HOSTS (comma-separated; `*.example.com` wildcards; empty
// = nothing) and, unless listed exactly, only public addresses: see _shared/executor-outbound.ts.
// A call that names its organisation (every call the orchestrator makes, and test-step's) may
// also only reach that organisation's connections (Settings → Connections, …007300): refused
// non-retryable `host_not_allowed` otherwise. A call without one (direct executor tests) has
// the ceiling alone.
// Upstream answers: 2xx and other 3xx succeed; 408, 429 and 5xx fail retryable
// (`upstream_error`); other 4xx fail non-retryable (`upstream_rejected`): the same request
// would be refused again. Config: timeout_ms (default 10 000, at most 120 000),
// max_response_bytes (default 1 MiB, at most 10 MiB).
import {
  ExecutorError,
  executor,
  invalidInput,
  isRecord,
  retryableStatus,
} from '../_shared/executor.ts';
import { createServiceClient } from '../_shared/clients.ts';
import { dnsResolver, fetchOutbound, parseHostPolicy } from '../_shared/executor-outbound.ts';
import { organisationPolicies } from '../_shared/organisation-connections.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const MAX_TIMEOUT_MS = 120_000;
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const resolver = dnsResolver((host, type) => Deno.resolveDns(host, type));

const connections = organisationPolicies(async (organisationId) => {
  const { data, error } = await createServiceClient()
    .from('organisation_connections')
    .select('host')
    .eq('organisation_id', organisationId)
    .limit(100);
  if (error)
    throw new ExecutorError(
      'connections_unavailable',
      `Could not read the organisation's connections: ${error.message}`,
      { retryable: true, status: 503 },
    );
  return (data as { host: string }[]).map((row) => row.host);
});

function boundedNumber(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw invalidInput(`config.${name} must be a positive number`);
  return Math.min(value, max);
}

function stringRecord(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string'))
    throw invalidInput(`${name} must be an object of strings`);
  return value as Record<string, string>;
}

function decodeBody(bytes: Uint8Array, contentType: string | null): unknown {
  const text = new TextDecoder().decode(bytes);
  if (/\bjson\b/i.test(contentType ?? '') && text.trim()) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text; // says JSON, is not: hand over the text rather than fail the step
    }
  }
  return text;
}

Deno.serve(
  executor('execute-http-request', async ({ input, config, organisation_id }) => {
    if (!isRecord(input)) throw invalidInput('input must be an object: { method, url, ... }');
    const rawUrl = input.url ?? config.url;
    if (typeof rawUrl !== 'string') throw invalidInput('url is required');
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw invalidInput(`url is not a valid absolute URL: ${rawUrl}`);
    }
    const method = String(input.method ?? config.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method))
      throw invalidInput(`method must be one of ${[...METHODS].join(', ')}`);
    const headers = new Headers({
      ...stringRecord(config.headers, 'config.headers'),
      ...stringRecord(input.headers, 'headers'),
    });
    let body: string | undefined;
    if (input.body !== undefined && input.body !== null) {
      if (method === 'GET' || method === 'HEAD') throw invalidInput(`${method} cannot have a body`);
      if (typeof input.body === 'string') body = input.body;
      else {
        body = JSON.stringify(input.body);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
    }

    const ceiling = parseHostPolicy(
      Deno.env.get('HTTP_REQUEST_ALLOWED_HOSTS'),
      'HTTP_REQUEST_ALLOWED_HOSTS',
      'none',
    );
    const policy = organisation_id
      ? { ...ceiling, organisation: await connections(organisation_id, url.hostname) }
      : ceiling;
    const response = await fetchOutbound(
      url,
      {
        method,
        headers,
        body,
        timeoutMs: boundedNumber(config.timeout_ms, 'timeout_ms', 10_000, MAX_TIMEOUT_MS),
        maxBytes: boundedNumber(
          config.max_response_bytes,
          'max_response_bytes',
          1024 * 1024,
          MAX_RESPONSE_BYTES,
        ),
      },
      policy,
      resolver,
    );
    if (response.status >= 400) {
      const retryable = retryableStatus(response.status);
      const excerpt = new TextDecoder().decode(response.body.slice(0, 300));
      throw new ExecutorError(
        retryable ? 'upstream_error' : 'upstream_rejected',
        `${method} ${url.host} answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
        { retryable, status: 502 },
      );
    }
    return {
      output: {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: decodeBody(response.body, response.headers.get('content-type')),
      },
    };
  }),
);
