// `pnpm stack start|stop|status` and `pnpm dev`: the native Supabase stack's command line,
// modelled on the Supabase CLI's. The repository's checks (`pnpm test`, `pnpm gen:*`) are in
// packages/repo-tools, which uses this stack.
import { parseArgs } from 'node:util';
import { startDaemon, readState, stopDaemon } from './control.ts';
import { defaultStackDir } from './paths.ts';
import { DEV_PORTS, withFreshPortsOnce, type StackInfo } from './stack.ts';
import { runDev } from './dev.ts';

function printStatus(info: StackInfo, output: string): void {
  const vars = {
    API_URL: info.apiUrl,
    REST_URL: `${info.apiUrl}/rest/v1`,
    FUNCTIONS_URL: `${info.apiUrl}/functions/v1`,
    STORAGE_URL: `${info.apiUrl}/storage/v1`,
    DB_URL: info.dbUrl,
    ANON_KEY: info.anonKey,
    SERVICE_ROLE_KEY: info.serviceRoleKey,
    JWT_SECRET: info.jwtSecret,
  };
  if (output === 'env') {
    for (const [k, v] of Object.entries(vars)) console.log(`${k}=${v}`);
  } else if (output === 'json') {
    console.log(JSON.stringify(vars, null, 2));
  } else {
    console.log('forkflow local stack is running.\n');
    for (const [k, v] of Object.entries(vars)) console.log(`${k.padStart(16)}: ${v}`);
    console.log(`\n            logs: ${info.dir}/logs`);
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      reset: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o', default: 'pretty' },
      dir: { type: 'string', default: defaultStackDir },
      ports: { type: 'string', default: 'fixed' },
    },
    allowPositionals: true,
  });
  const dir = values.dir ?? defaultStackDir;

  switch (command) {
    case 'start': {
      const started = Date.now();
      // `--ports auto` picks free ports: for a second stack beside the dev one (tests do this).
      const reset = values.reset ?? false;
      const info =
        values.ports === 'auto'
          ? await withFreshPortsOnce((ports) => startDaemon({ dir, ports, reset, watch: false }))
          : await startDaemon({ dir, ports: DEV_PORTS, reset, watch: false });
      printStatus(info, values.output ?? 'pretty');
      if (values.output === 'pretty')
        console.log(`\nstarted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'stop': {
      const stopped = await stopDaemon(dir);
      console.log(stopped ? 'stopped.' : 'the stack was not running.');
      return 0;
    }
    case 'status': {
      const info = readState(dir);
      if (!info) {
        console.error('the stack is not running: start it with `pnpm stack start`');
        return 1;
      }
      printStatus(info, values.output ?? 'pretty');
      return 0;
    }
    case 'dev':
      return runDev(dir);
    default:
      console.error(
        'usage: stack <start [--reset] [--ports auto] [--dir D] | stop | status [-o env|json] | dev>',
      );
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
