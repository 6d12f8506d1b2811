import {
  leadStageLabels,
  leadStages,
  leadStatusLabels,
  leadStatuses,
  leadWarmthLabels,
  leadWarmths,
  restaurantInputSchema,
  type RestaurantInput,
} from '../restaurants.ts';
import type { ColumnMapping, ImportField } from './fields.ts';

// One CSV row → what import_restaurants takes, checked with the form's own schema
// (restaurantInputSchema), so a row the form would refuse is refused here with the same
// words, before it is sent. The database checks again (it is the last word).

/** What one row sends: only the mapped fields, so an update never erases an unmapped one. */
export type ImportRow = Partial<RestaurantInput>;

export type ImportRowResult = { ok: true; row: ImportRow } | { ok: false; errors: string[] };

/** A member's email (lower case) → their user id; rep_email cells resolve through it. */
export type RepDirectory = ReadonlyMap<string, string>;

// Our export writes "'=SUM(1)" for a cell that began with a formula character
// (csvCell); reading it back drops that quote.
const unneutralise = (value: string) => (/^'[=+\-@]/.test(value) ? value.slice(1) : value);

const enumValue = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  cell: string,
): T | undefined => {
  const key = cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return values.find(
    (value) => value === key || labels[value].toLowerCase() === cell.trim().toLowerCase(),
  );
};

const enumFields = {
  lead_stage: { values: leadStages, labels: leadStageLabels, noun: 'stage' },
  lead_warmth: { values: leadWarmths, labels: leadWarmthLabels, noun: 'warmth' },
  lead_status: { values: leadStatuses, labels: leadStatusLabels, noun: 'status' },
} as const;

/** The cells of one row, by field (the last column wins when two map to one field). */
export function mapRow(
  cells: readonly string[],
  mapping: ColumnMapping,
): Partial<Record<ImportField, string>> {
  const mapped: Partial<Record<ImportField, string>> = {};
  mapping.forEach((field, column) => {
    if (field) mapped[field] = unneutralise((cells[column] ?? '').trim());
  });
  return mapped;
}

export function validateImportRow(
  cells: readonly string[],
  mapping: ColumnMapping,
  reps: RepDirectory,
): ImportRowResult {
  const mapped = mapRow(cells, mapping);
  const errors: string[] = [];
  const candidate: Record<string, string | undefined> = {};
  for (const [field, value] of Object.entries(mapped) as Array<[ImportField, string]>) {
    if (field === 'rep_email') continue;
    if (field in enumFields) {
      const spec = enumFields[field as keyof typeof enumFields];
      if (value === '') continue;
      const found = enumValue<string>(spec.values, spec.labels as Record<string, string>, value);
      if (found) candidate[field] = found;
      else errors.push(`${value} is not a ${spec.noun} (${spec.values.join(', ')})`);
      continue;
    }
    candidate[field] = value;
  }
  if (mapped.rep_email) {
    const repId = reps.get(mapped.rep_email.toLowerCase());
    if (repId) candidate.assigned_sales_rep = repId;
    else errors.push(`No member has the email ${mapped.rep_email}`);
  }
  const parsed = restaurantInputSchema.safeParse(candidate);
  if (!parsed.success) errors.push(...parsed.error.issues.map((issue) => issue.message));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  // Only the mapped fields: the schema's defaults (stage "new"…) would overwrite on update.
  const row: ImportRow = {};
  for (const key of Object.keys(candidate) as Array<keyof RestaurantInput>) {
    (row as Record<string, unknown>)[key] = parsed.data[key];
  }
  return { ok: true, row };
}

/**
 * Keys under which two rows of one file are the same restaurant — the database's rule
 * (private.restaurant_duplicate_matches: same email, else same name and city), applied
 * within the file for the preview's count before anything is sent.
 */
export function duplicateKeys(row: ImportRow): string[] {
  const keys: string[] = [];
  if (row.contact_email) keys.push(`email:${row.contact_email.toLowerCase()}`);
  if (row.name) keys.push(`name:${row.name.toLowerCase()}\u0000${(row.city ?? '').toLowerCase()}`);
  return keys;
}

/** Indexes of rows that repeat an earlier row of the same list (by duplicateKeys). */
export function repeatedRows(rows: ReadonlyArray<ImportRow | null>): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  rows.forEach((row, index) => {
    if (!row) return;
    const keys = duplicateKeys(row);
    if (keys.some((key) => seen.has(key))) repeated.add(index);
    keys.forEach((key) => seen.add(key));
  });
  return repeated;
}
