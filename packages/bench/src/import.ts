// `pnpm bench import` (issue 13 §4): a 10,000-row restaurant CSV the way the import page
// sends it — parsed, mapped and checked in the domain (packages/domain/src/restaurant-csv),
// then import_restaurants through PostgREST in 1,000-row chunks as a signed-in member —
// beside a baseline: a plain `insert … select from jsonb_to_recordset` of the same chunks over
// a direct connection (no duplicate checks, no per-row results, no HTTP). Then the same file
// again, every row now a duplicate (the skip path). Prints rows/s and chunk latency
// median/p95. Asserts nothing on time; exits 1 when the rows are not all created.
import pg from 'pg';
import { parseCsv, serialiseCsv } from '@forkflow/domain/restaurant-csv/csv';
import { guessMapping } from '@forkflow/domain/restaurant-csv/fields';
import { validateImportRow, type ImportRow } from '@forkflow/domain/restaurant-csv/rows';
import { signUpRep, type Api } from './fixture.ts';
import { fmt, summarise, type Summary } from './stats.ts';
import { BenchFailure } from './workflows.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
/** import_restaurants' most rows a call (413 beyond), the page's chunk. */
const CHUNK = 1000;

export interface ImportTarget extends Api {
  dbUrl: string;
}

const CUISINES = ['Italian', 'Thai', 'Indian', 'Café, bakery', 'Sushi'];
const STAGES = ['New', 'Contacted', 'Qualified', 'Demo booked'];

/** A file like a rep's export from another CRM: quoted commas, a quote, mixed labels. */
function benchCsv(): string {
  const rows: string[][] = [['Restaurant', 'City', 'Email', 'Phone', 'Cuisine', 'Stage', 'Notes']];
  for (let i = 0; i < ROWS; i++) {
    rows.push([
      `Bench Bistro ${i}`,
      `City ${i % 97}`,
      `owner${i}@bench-import.test`,
      `+44 20 7946 ${String(i % 10_000).padStart(4, '0')}`,
      CUISINES[i % CUISINES.length]!,
      STAGES[i % STAGES.length]!,
      `Met at "Food Expo" ${(i % 12) + 1}/2026, wants a demo`,
    ]);
  }
  return serialiseCsv(rows);
}

async function organisation(db: pg.Client, userId: string, name: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.organisations (name) values ($1) returning id`,
    [name],
  );
  await db.query(
    `insert into public.organisation_members (organisation_id, user_id, role) values ($1, $2, 'owner')`,
    [rows[0]!.id, userId],
  );
  return rows[0]!.id;
}

type Outcome = { status: string };

async function rpcChunks(
  t: ImportTarget,
  accessToken: string,
  organisationId: string,
  rows: ImportRow[],
): Promise<{ chunkMs: number[]; totalMs: number; statuses: Record<string, number> }> {
  const chunkMs: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunkStarted = performance.now();
    const response = await fetch(`${t.apiUrl}/rest/v1/rpc/import_restaurants`, {
      method: 'POST',
      headers: {
        apikey: t.anonKey,
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        p_organisation_id: organisationId,
        p_rows: rows.slice(from, from + CHUNK),
        p_on_duplicate: 'skip',
      }),
    });
    if (!response.ok)
      throw new BenchFailure(
        `import_restaurants, rows ${from}–${from + CHUNK - 1}: ${response.status} ${await response.text()}`,
      );
    const results = (await response.json()) as Outcome[];
    chunkMs.push(performance.now() - chunkStarted);
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  return { chunkMs, totalMs: performance.now() - started, statuses };
}

async function baselineChunks(
  db: pg.Client,
  organisationId: string,
  userId: string,
  rows: ImportRow[],
): Promise<{ chunkMs: number[]; totalMs: number }> {
  const chunkMs: number[] = [];
  const started = performance.now();
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunkStarted = performance.now();
    await db.query(
      `insert into public.restaurants (organisation_id, name, city, contact_email, contact_phone,
         cuisine, lead_stage, notes, created_by)
       select $1, r.name, r.city, r.contact_email, r.contact_phone, r.cuisine,
         coalesce(r.lead_stage, 'new'), r.notes, $2
       from jsonb_to_recordset($3::jsonb) as r(name text, city text, contact_email text,
         contact_phone text, cuisine text, lead_stage text, notes text)`,
      [organisationId, userId, JSON.stringify(rows.slice(from, from + CHUNK))],
    );
    chunkMs.push(performance.now() - chunkStarted);
  }
  return { chunkMs, totalMs: performance.now() - started };
}

export async function importBench(t: ImportTarget): Promise<void> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    const { rows: present } = await db.query<{ ok: boolean }>(
      `select to_regprocedure('public.import_restaurants(uuid, jsonb, text)') is not null as ok`,
    );
    if (!present[0]!.ok)
      throw new BenchFailure('import migration not applied: no public.import_restaurants');
    const { userId, accessToken } = await signUpRep(t);
    const rpcOrg = await organisation(db, userId, 'Bench Import');
    const baseOrg = await organisation(db, userId, 'Bench Import baseline');

    const text = benchCsv();
    const parseStarted = performance.now();
    const [header, ...data] = parseCsv(text).rows;
    const mapping = guessMapping(header!);
    const reps = new Map<string, string>();
    const rows: ImportRow[] = [];
    for (const cells of data) {
      const checked = validateImportRow(cells, mapping, reps);
      if (!checked.ok) throw new BenchFailure(`bench row refused: ${checked.errors.join('; ')}`);
      rows.push(checked.row);
    }
    const parseMs = performance.now() - parseStarted;

    const first = await rpcChunks(t, accessToken, rpcOrg, rows);
    if (first.statuses.created !== ROWS)
      throw new BenchFailure(`import created ${JSON.stringify(first.statuses)} of ${ROWS} rows`);
    const again = await rpcChunks(t, accessToken, rpcOrg, rows);
    if (again.statuses.skipped !== ROWS)
      throw new BenchFailure(`re-import skipped ${JSON.stringify(again.statuses)} of ${ROWS} rows`);
    const base = await baselineChunks(db, baseOrg, userId, rows);

    const rate = (ms: number) => `${Math.round((ROWS / ms) * 1000).toLocaleString('en-GB')} rows/s`;
    const line = (label: string, s: Summary, totalMs: number) =>
      console.log(
        `  ${label.padEnd(46)}${rate(totalMs).padStart(15)}${fmt(s.median)}${fmt(s.p95)}`,
      );
    console.log(
      `\nRestaurant CSV import (issue 13 §4): ${ROWS.toLocaleString('en-GB')} rows, ${(text.length / 1024 / 1024).toFixed(1)} MB, chunks of ${CHUNK}`,
    );
    console.log(
      `  parse + map + validate in the domain: ${parseMs.toFixed(0)} ms (${rate(parseMs)})`,
    );
    console.log(
      `  ${''.padEnd(46)}${'throughput'.padStart(15)}${'median'.padStart(11)}${'p95'.padStart(11)}`,
    );
    line('import_restaurants via PostgREST (new rows)', summarise(first.chunkMs), first.totalMs);
    line('import_restaurants again (all duplicates)', summarise(again.chunkMs), again.totalMs);
    line('baseline: insert … select, direct connection', summarise(base.chunkMs), base.totalMs);
    console.log(
      `  end to end (parse + import): ${((parseMs + first.totalMs) / 1000).toFixed(2)} s for ${ROWS.toLocaleString('en-GB')} rows`,
    );
  } finally {
    await db.end().catch(() => undefined);
  }
}
