// `pnpm gen:functions-domain`: copies the parts of packages/domain the edge functions use into
// supabase/functions/_shared/domain/. The Supabase CLI's bundler accepts only relative and
// `npm:` imports from inside supabase/functions (supabase/cli issues 1303, 3467), so the
// functions cannot import the workspace package; they import this copy, whose bare imports are
// rewritten to `npm:` specifiers pinned to the ranges in packages/domain/package.json.
// A unit test regenerates it in memory and fails `pnpm test` when the copy is stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { functionsDir, repoRoot } from '@forkflow/local-stack/paths';

const domainDir = join(repoRoot, 'packages/domain');
const domainSrc = join(domainDir, 'src');
export const functionsDomainDir = join(functionsDir, '_shared/domain');

/** The modules the functions need; their relative imports come along. */
export const FUNCTIONS_DOMAIN_ENTRIES = [
  'workflow-definition.ts',
  'json-path.ts',
  'backoff.ts',
  'ids.ts',
  'jobs.ts',
  'workflow-inputs.ts',
  'field-schema.ts',
  'step-config.ts',
  'workflow-branches.ts',
  'file-ref.ts',
  'flows/schemas.ts',
  'flows/validate-sequence.ts',
  'flows/flow-ids.ts',
  'flows/resolve.ts',
  'flows/assertions.ts',
  'flows/run-state.ts',
  'automated-steps.ts',
  'cron.ts',
  'restaurants.ts',
  'tasks.ts',
];

const HEADER =
  '// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.\n' +
  '// Edit the original in packages/domain/src and regenerate.\n';

// `from '…'`, `import '…'`, `import('…')` and `export … from '…'`: the specifiers Deno resolves.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"]+)\2/g;

function dependencyRanges(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(domainDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return pkg.dependencies ?? {};
}

/** `zod` → `npm:zod@^4.1.0`; `jsonpath-rfc9535/parser` → `npm:jsonpath-rfc9535@^1.3.0/parser`. */
export function toNpmSpecifier(specifier: string, ranges: Record<string, string>): string {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.slice(nameLength).join('/');
  const range = ranges[name];
  if (!range) {
    throw new Error(
      `packages/domain imports ${name}, which is not in its package.json dependencies`,
    );
  }
  return `npm:${name}@${range}${subpath ? `/${subpath}` : ''}`;
}

/** File name → formatted contents of every file the copy should hold. */
export async function generateFunctionsDomain(): Promise<Map<string, string>> {
  const ranges = dependencyRanges();
  const sources = new Map<string, string>();
  const queue = [...FUNCTIONS_DOMAIN_ENTRIES];
  while (queue.length) {
    const file = queue.shift()!;
    if (sources.has(file)) continue;
    const source = readFileSync(join(domainSrc, file), 'utf8');
    const rewritten = source.replace(
      SPECIFIER,
      (_match, lead: string, quote: string, spec: string) => {
        if (spec.startsWith('.')) {
          const target = posix.normalize(posix.join(posix.dirname(file), spec));
          if (target.startsWith('..') || !target.endsWith('.ts')) {
            throw new Error(`${file}: ${spec} must be a .ts file inside packages/domain/src`);
          }
          queue.push(target);
          return `${lead}${quote}${spec}${quote}`;
        }
        return `${lead}${quote}${toNpmSpecifier(spec, ranges)}${quote}`;
      },
    );
    sources.set(file, rewritten);
  }
  const options = (await resolveConfig(join(functionsDomainDir, 'index.ts'))) ?? {};
  const out = new Map<string, string>();
  for (const [file, code] of [...sources].sort(([a], [b]) => a.localeCompare(b))) {
    out.set(file, await format(HEADER + code, { ...options, parser: 'typescript' }));
  }
  return out;
}

export async function writeFunctionsDomain(): Promise<string[]> {
  const files = await generateFunctionsDomain();
  rmSync(functionsDomainDir, { recursive: true, force: true });
  for (const [file, code] of files) {
    const target = join(functionsDomainDir, file);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, code);
  }
  return [...files.keys()];
}

function listCopy(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listCopy(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** Why the committed copy differs from a fresh one, or undefined when it is up to date. */
export async function checkFunctionsDomainDrift(): Promise<string | undefined> {
  const expected = await generateFunctionsDomain();
  const present = listCopy(functionsDomainDir);
  const stale = [
    ...[...expected].filter(
      ([file, code]) =>
        !existsSync(join(functionsDomainDir, file)) ||
        readFileSync(join(functionsDomainDir, file), 'utf8') !== code,
    ),
  ].map(([file]) => file);
  const extra = present.filter((file) => !expected.has(file));
  if (!stale.length && !extra.length) return undefined;
  return (
    `supabase/functions/_shared/domain is out of date with packages/domain ` +
    `(${[...stale.map((f) => `changed: ${f}`), ...extra.map((f) => `extra: ${f}`)].join(', ')}): ` +
    'run `pnpm gen:functions-domain`'
  );
}
