import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { supabaseDir } from './paths.ts';
import { verifyJwt } from './auth/tokens.ts';

type AuthHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

export interface GatewayOptions {
  port: number;
  restPort: number;
  functionsPort: number;
  auth: AuthHandler;
  /** The Storage-compatible server (storage/server.ts), mounted at /storage/v1. */
  storage?: AuthHandler;
  jwtSecret: string;
}

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, x-supabase-api-version, idempotency-key, x-upsert, x-metadata, cache-control',
  'access-control-expose-headers':
    'content-range, content-location, x-total-count, x-supabase-api-version, link',
  'access-control-max-age': '3600',
};

function sendJson(res: ServerResponse, status: number, body: unknown, cors = true): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(cors ? CORS_HEADERS : {}) });
  res.end(JSON.stringify(body));
}

/**
 * Functions whose config.toml section says `verify_jwt = false` accept unauthenticated calls;
 * every other function needs a JWT signed with the project's secret, as Supabase's relay does.
 */
function functionsWithoutJwtCheck(): Set<string> {
  const file = join(supabaseDir, 'config.toml');
  const names = new Set<string>();
  if (!existsSync(file)) return names;
  let current: string | null = null;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    const section = /^\[functions\.([^\]]+)\]$/.exec(line);
    if (section) current = section[1]?.replace(/"/g, '') ?? null;
    else if (line.startsWith('[')) current = null;
    else if (current && /^verify_jwt\s*=\s*false/.test(line)) names.add(current);
  }
  return names;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
}

function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  path: string,
  addCors: boolean,
): void {
  const headers: Record<string, string | string[] | undefined> = {
    ...req.headers,
    host: `127.0.0.1:${port}`,
  };
  // supabase-js sends the key in `apikey`; Kong lets it stand in for a missing Authorization.
  if (!headers.authorization && typeof headers.apikey === 'string')
    headers.authorization = `Bearer ${headers.apikey}`;
  const upstream = request(
    { host: '127.0.0.1', port, method: req.method, path, headers },
    (upstreamRes) => {
      const responseHeaders = { ...upstreamRes.headers, ...(addCors ? CORS_HEADERS : {}) };
      res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent)
      sendJson(res, 502, { error: { code: 'bad_gateway', message: err.message } });
    else res.destroy();
  });
  req.pipe(upstream);
}

/** One port for /rest/v1, /auth/v1, /storage/v1 and /functions/v1, like Kong on 54321. */
export function startGateway(options: GatewayOptions): Promise<Server> {
  const openFunctions = functionsWithoutJwtCheck();

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const [prefix, rest] = splitPrefix(url);

    if (prefix === '/rest/v1' || prefix === '/auth/v1') {
      if (req.method === 'OPTIONS') {
        res.writeHead(200, CORS_HEADERS);
        res.end();
        return;
      }
      if (prefix === '/rest/v1') {
        proxy(req, res, options.restPort, rest, true);
        return;
      }
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      options.auth(req, res, rest).catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { code: 500, error_code: 'unexpected_failure', msg: String(err) });
      });
      return;
    }

    if (prefix === '/storage/v1' && options.storage) {
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      if (req.method === 'OPTIONS') {
        res.writeHead(200);
        res.end();
        return;
      }
      options.storage(req, res, rest).catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { statusCode: '500', error: 'internal', message: String(err) });
        else res.destroy();
      });
      return;
    }

    if (prefix === '/functions/v1') {
      const name = rest.split(/[/?]/)[1] ?? '';
      // Preflight goes to the function itself: on Supabase, functions answer CORS themselves.
      const token = bearer(req);
      const needsJwt = req.method !== 'OPTIONS' && !openFunctions.has(name);
      const verified =
        needsJwt && token
          ? verifyJwt(token, options.jwtSecret).then(
              () => true,
              () => false,
            )
          : Promise.resolve(!needsJwt);
      void verified.then((ok) => {
        if (ok) proxy(req, res, options.functionsPort, rest, false);
        else sendJson(res, 401, { code: 401, message: 'Invalid JWT' });
      });
      return;
    }

    if (url === '/health' || url === '/') {
      sendJson(res, 200, {
        status: 'ok',
        services: ['rest/v1', 'auth/v1', 'storage/v1', 'functions/v1'],
      });
      return;
    }
    sendJson(res, 404, { error: { code: 'not_found', message: `no route for ${url}` } });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}

function splitPrefix(url: string): [string, string] {
  const match = /^(\/(?:rest|auth|storage|functions)\/v1)(\/.*|\?.*)?$/.exec(url);
  if (!match) return ['', url];
  const rest = match[2] ?? '/';
  return [match[1] ?? '', rest.startsWith('?') ? `/${rest}` : rest];
}
