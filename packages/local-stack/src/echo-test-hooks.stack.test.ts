// execute-echo's test hooks (delay_ms, fail_times, fail_key, …) are off unless the functions
// run with ECHO_TEST_HOOKS=1, which only `pnpm test`'s and `pnpm bench`'s stacks set
// (`testing` in stack.ts; issue 10 §2: delay_ms let one tenant fill every worker with sleeping
// jobs). A functions runtime started here as `pnpm dev` starts it; the hooks' behaviour when
// on is covered against the test stack by supabase/tests/executors-echo.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from './auth/keys.ts';
import { startFunctions } from './functions.ts';
import { freePort } from './ports.ts';
import type { Service } from './process.ts';

const JWT_SECRET = 'echo-hooks-test-secret-with-at-least-32-chars';
const dir = mkdtempSync(join(tmpdir(), 'echo-hooks-'));
let functions: Service | undefined;
let url = '';

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  functions = await startFunctions({
    port,
    logFile: join(dir, 'functions.log'),
    watch: false,
    env: {
      SUPABASE_URL: 'http://127.0.0.1:9',
      SUPABASE_JWT_SECRET: JWT_SECRET,
      ECHO_TEST_HOOKS: '',
    },
  });
}, 180_000);

afterAll(async () => {
  await functions?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const echo = (input: Record<string, unknown>) =>
  fetch(`${url}/execute-echo`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${signJwt({ role: 'service_role' }, JWT_SECRET, 3600)}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ job_id: 'job-1', step_id: 'step1', attempt: 1, input, config: {} }),
  });

describe('execute-echo without ECHO_TEST_HOOKS', () => {
  it('ignores fail_times, fail_status and non_retryable: the echo answers 200', async () => {
    const res = await echo({
      data: { a: 1 },
      fail_times: 5,
      fail_status: 400,
      non_retryable: true,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ output: { echoed_data: { a: 1 } } });
  });

  it('ignores fail_key: no per-key count is kept', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await echo({ data: i, fail_times: 2, fail_key: `key-${i % 1}` });
      expect(res.status).toBe(200);
    }
  });

  it('ignores delay_ms: a 120 s sleep is not slept', { timeout: 30_000 }, async () => {
    // Under a 30 s test timeout: answering at all shows the 120 s sleep was skipped.
    const res = await echo({ data: 'now', delay_ms: 120_000 });
    expect(res.status).toBe(200);
  });
});
