import { serialiseCsv } from '@forkflow/domain/restaurant-csv/csv';
import { EXPORT_MAX_ROWS, restaurantsToCsvRows } from '@forkflow/domain/restaurant-csv/fields';
import { toPrefixTsQuery } from '@forkflow/domain/search';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import { UNASSIGNED, type RestaurantFilters } from '../../api/queries';
import type { Rep } from '../../types';

// PostgREST returns at most 1,000 rows a request (supabase/config.toml max_rows).
const EXPORT_PAGE = 1000;

const EXPORT_SELECT =
  'id, name, contact_name, contact_email, contact_phone, website, address, city, cuisine, lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, updated_at';

export type RestaurantExport = { csv: string; rows: number; capped: boolean };

/**
 * The list's filtered restaurants as CSV, in the list's order. Pages by id (keyset, so a
 * row edited meanwhile is neither skipped nor repeated) and stops at EXPORT_MAX_ROWS.
 */
export async function exportRestaurants(
  organisationId: string,
  filters: RestaurantFilters,
  reps: readonly Rep[],
): Promise<RestaurantExport> {
  type Row = {
    id: string;
    name: string;
    updated_at: string;
    assigned_sales_rep: string | null;
    [key: string]: string | null;
  };
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    let query = supabase
      .from('restaurants')
      .select(EXPORT_SELECT)
      .eq('organisation_id', organisationId);
    const tsQuery = filters.q ? toPrefixTsQuery(filters.q) : null;
    if (tsQuery) query = query.textSearch('search', tsQuery, { config: 'simple' });
    if (filters.stage) query = query.eq('lead_stage', filters.stage);
    if (filters.warmth) query = query.eq('lead_warmth', filters.warmth);
    if (filters.rep === UNASSIGNED) query = query.is('assigned_sales_rep', null);
    else if (filters.rep) query = query.eq('assigned_sales_rep', filters.rep);
    if (after) query = query.gt('id', after);
    const { data, error } = await query.order('id').limit(EXPORT_PAGE);
    if (error) raise(error);
    rows.push(...(data as Row[]));
    if (data.length < EXPORT_PAGE || rows.length > EXPORT_MAX_ROWS) break;
    after = data[data.length - 1]!.id;
  }
  const capped = rows.length > EXPORT_MAX_ROWS;
  const kept = rows.slice(0, EXPORT_MAX_ROWS);
  kept.sort((a, b) =>
    filters.sort === 'name'
      ? a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)
      : b.updated_at.localeCompare(a.updated_at) || (a.id < b.id ? -1 : 1),
  );
  const repEmails = new Map(reps.map((rep) => [rep.id, rep.email]));
  const csv = serialiseCsv(
    restaurantsToCsvRows(
      kept.map((row) => ({
        ...row,
        rep_email: row.assigned_sales_rep ? (repEmails.get(row.assigned_sales_rep) ?? '') : '',
      })),
    ),
  );
  return { csv, rows: kept.length, capped };
}
