import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './paths.ts';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'forkflow-lifecycle-'));
chmodSync(dir, 0o755);

const stack = (...args: string[]) =>
  exec(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'packages/local-stack/src/cli.ts'), ...args, '--dir', dir],
    {
      cwd: repoRoot,
      timeout: 240_000,
    },
  );

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await stack('stop').catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('pnpm stack start/stop', () => {
  let firstPids: number[] = [];

  it('start prints the connection variables like `supabase status -o env`', async () => {
    const { stdout } = await stack('start', '--ports', 'auto', '-o', 'env');
    const vars = parseEnv(stdout);
    for (const key of ['API_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'DB_URL', 'JWT_SECRET'])
      expect(vars[key]).toBeTruthy();
    const health = await fetch(`${vars.API_URL}/rest/v1/`, {
      headers: { apikey: vars.ANON_KEY ?? '' },
    });
    expect(health.status).toBe(200);

    const client = new pg.Client({ connectionString: vars.DB_URL });
    await client.connect();
    await client.query(`insert into public.organisations (name) values ('Survives a restart')`);
    await client.end();

    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      pids: Record<string, number>;
    };
    firstPids = Object.values(state.pids);
    expect(firstPids.length).toBeGreaterThanOrEqual(4);
    expect(firstPids.every(alive)).toBe(true);
  });

  it('stop leaves no process of the stack running', async () => {
    await stack('stop');
    expect(firstPids.filter(alive)).toEqual([]);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    await expect(stack('status')).rejects.toThrow();
  });

  it('a second start keeps the data of the first', async () => {
    const { stdout } = await stack('start', '--ports', 'auto', '-o', 'env');
    const client = new pg.Client({ connectionString: parseEnv(stdout).DB_URL });
    await client.connect();
    const { rows } = await client.query(
      `select count(*)::int as n from public.organisations where name = 'Survives a restart'`,
    );
    // The bootstrap runs on every start; it must not re-grant what the migrations revoked.
    const { rows: grants } = await client.query(
      `select has_function_privilege('anon', 'public.create_organisation(text)', 'execute') as anon_can_create`,
    );
    await client.end();
    expect(rows[0]?.n).toBe(1);
    expect(grants[0]?.anon_can_create).toBe(false);
    await stack('stop');
  });
});
