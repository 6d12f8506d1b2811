// `pnpm test`, `pnpm gen:types`, `pnpm gen:functions-domain` and the edge functions' checks
// (`pnpm typecheck:functions`, `pnpm lint:functions`): the repository's tooling. It uses the
// native stack (packages/local-stack) and is never part of it.
import { readState } from '@forkflow/local-stack/control';
import { defaultStackDir } from '@forkflow/local-stack/paths';
import { writeTypes } from './checks.ts';
import { checkFunctionTypes, functionSourceFiles, lintFunctions } from './function-checks.ts';
import { writeFunctionsDomain } from './functions-domain.ts';
import { runTests } from './test-runner.ts';

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'test':
      return runTests(rest);
    case 'gen-types': {
      const dbUrl = process.env.SUPABASE_DB_URL ?? readState(defaultStackDir)?.dbUrl;
      if (!dbUrl) {
        console.error('no database: start the stack (`pnpm stack start`) or set SUPABASE_DB_URL');
        return 1;
      }
      await writeTypes(dbUrl);
      console.log('wrote packages/db/src/database.types.ts');
      return 0;
    }
    case 'gen-functions-domain': {
      const files = await writeFunctionsDomain();
      console.log(`wrote supabase/functions/_shared/domain/{${files.join(',')}}`);
      return 0;
    }
    case 'check-functions':
    case 'lint-functions': {
      const check = command === 'check-functions' ? checkFunctionTypes : lintFunctions;
      const failure = await check();
      if (failure) {
        console.error(failure);
        return 1;
      }
      const verb = command === 'check-functions' ? 'type-checked' : 'linted';
      console.log(`${verb} ${functionSourceFiles().length} files in supabase/functions`);
      return 0;
    }
    default:
      console.error(
        'usage: repo-tools <test [vitest args] | gen-types | gen-functions-domain | check-functions | lint-functions>',
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
