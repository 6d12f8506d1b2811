// `pnpm bench bundle`: the JavaScript a browser must load before the dashboard's /tasks page
// (a rep's landing page) can render, gzipped: the entry chunk, the /tasks route's lazy chunk
// and every chunk either imports statically, from a production build (vite's manifest) into a
// temporary directory. Printed beside its 250 KB limit (issue 9); asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '@forkflow/local-stack/paths';

const LIMIT_KB = 250;
const TASKS_ROUTE = 'src/app/routes/tasks/tasks.tsx';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export async function bundleBench(): Promise<void> {
  const web = join(repoRoot, 'apps/web');
  const outDir = mkdtempSync(join(tmpdir(), 'forkflow-bench-web-'));
  try {
    execFileSync(
      'npx',
      ['vite', 'build', '--manifest', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: web,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          VITE_SUPABASE_URL: process.env.VITE_SUPABASE_URL ?? 'http://127.0.0.1:54321',
          VITE_SUPABASE_ANON_KEY: process.env.VITE_SUPABASE_ANON_KEY ?? 'bench-anon-key',
        },
      },
    );
    const manifest = JSON.parse(
      readFileSync(join(outDir, '.vite/manifest.json'), 'utf8'),
    ) as Record<string, ManifestChunk>;
    const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
    if (!entry || !manifest[TASKS_ROUTE])
      throw new Error(`bundle: no entry or no ${TASKS_ROUTE} in vite's manifest`);
    // The entry and the route, with everything they import statically.
    const seen = new Set<string>();
    const visit = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const next of manifest[key]?.imports ?? []) visit(next);
    };
    visit(entry);
    visit(TASKS_ROUTE);
    const files = [...seen].map((key) => manifest[key]!.file).filter((f) => f.endsWith('.js'));
    const gzip = files.reduce(
      (sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length,
      0,
    );
    const kb = gzip / 1024;
    console.log(
      `\nForkflow bench, dashboard bundle: /tasks initial JS (entry + route, static imports, ${files.length} chunks)` +
        `\n  gzip ${kb.toFixed(0)} KB  (limit < ${LIMIT_KB} KB) ${kb < LIMIT_KB ? 'meets' : 'MISSES'}`,
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
