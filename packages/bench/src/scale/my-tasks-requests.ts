// Every request the My tasks page makes (apps/web/src/features/tasks/api/queries.ts), as the
// signed-in rep: the first page of each section, a "Load more" page, the section counts and
// the two filter pickers. Same arguments as the page sends: the rep's own open tasks, "now"
// to the minute, 50 rows a page, 20 options a picker.
import type { SupabaseClient } from '@supabase/supabase-js';
import { must, type ScaleContext, type ScaleRequest } from './requests.ts';

const PAGE_SIZE = 50;
const PICKER_LIMIT = 20;
const TIME_ZONE = 'Europe/London';
const COLUMNS =
  'id, organisation_id, restaurant_id, name, description, type, priority, status, due_date, ' +
  'assigned_to, message, subject, metadata, sequence_instance_id, sequence_step_order, ' +
  'completed_at, skipped_at, cancelled_at, created_at, updated_at, ' +
  'restaurant:restaurants(id, name), ' +
  'sequence_instance:sequence_instances(id, name, status, total_steps, current_step_order)';

type Section = 'overdue' | 'today' | 'upcoming' | 'no_due_date' | 'all';
type Row = { id: string; due_date: string | null; created_at: string };

/** "Now" to the minute, as the page's asOf. */
function asOf(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return now.toISOString();
}

function pageRequest(
  client: SupabaseClient,
  ctx: ScaleContext,
  section: Section,
  options: { status?: string; after?: { at: string; id: string } } = {},
) {
  return client
    .rpc('my_tasks_page', {
      p_organisation_id: ctx.organisationId,
      p_status: options.status ?? 'active',
      p_section: section,
      p_assignee: ctx.repUserId,
      p_now: asOf(),
      p_time_zone: TIME_ZONE,
      p_after_at: options.after?.at,
      p_after_id: options.after?.id,
      p_limit: PAGE_SIZE,
    })
    .select(COLUMNS);
}

function firstPage(section: Section, status?: string): ScaleRequest {
  return {
    name: `my tasks: ${status ?? 'to do'}, ${section.replaceAll('_', ' ')}, first page`,
    run: async (client, ctx) =>
      must(await pageRequest(client, ctx, section, { status }), `my_tasks_page ${section}`),
  };
}

// Where "Load more" starts: the overdue section's 50th row, read once per organisation (the
// bench runs each request many times; the first read is outside what a page does twice).
const loadMoreCursors = new Map<string, { at: string; id: string } | null>();

async function loadMoreCursor(client: SupabaseClient, ctx: ScaleContext) {
  if (!loadMoreCursors.has(ctx.organisationId)) {
    const rows = must(await pageRequest(client, ctx, 'overdue'), 'my_tasks_page overdue') as
      Row[] | null;
    const last = rows && rows.length === PAGE_SIZE ? rows[rows.length - 1] : undefined;
    loadMoreCursors.set(
      ctx.organisationId,
      last?.due_date ? { at: last.due_date, id: last.id } : null,
    );
  }
  return loadMoreCursors.get(ctx.organisationId) ?? undefined;
}

export const myTasksRequests: ScaleRequest[] = [
  firstPage('overdue'),
  firstPage('today'),
  firstPage('upcoming'),
  firstPage('no_due_date'),
  firstPage('all', 'completed'),
  {
    name: 'my tasks: overdue, load more (page 2)',
    run: async (client, ctx) => {
      const after = await loadMoreCursor(client, ctx);
      return must(await pageRequest(client, ctx, 'overdue', { after }), 'my_tasks_page more');
    },
  },
  {
    name: 'my tasks: section counts',
    run: async (client, ctx) =>
      must(
        await client.rpc('my_task_counts', {
          p_organisation_id: ctx.organisationId,
          p_status: 'active',
          p_assignee: ctx.repUserId,
          p_now: asOf(),
          p_time_zone: TIME_ZONE,
        }),
        'my_task_counts',
      ),
  },
  {
    name: 'my tasks: restaurant picker, opened (no search)',
    run: async (client, ctx) =>
      must(
        await client.rpc('search_task_filter_restaurants', {
          p_organisation_id: ctx.organisationId,
          p_search: '',
          p_limit: PICKER_LIMIT,
        }),
        'search_task_filter_restaurants',
      ),
  },
  {
    name: 'my tasks: restaurant picker, typed 3 letters',
    run: async (client, ctx) =>
      must(
        await client.rpc('search_task_filter_restaurants', {
          p_organisation_id: ctx.organisationId,
          p_search: ctx.commonWord.slice(0, 3),
          p_limit: PICKER_LIMIT,
        }),
        'search_task_filter_restaurants',
      ),
  },
  {
    name: 'my tasks: sequence picker, opened (no search)',
    run: async (client, ctx) =>
      must(
        await client.rpc('search_task_filter_instances', {
          p_organisation_id: ctx.organisationId,
          p_search: '',
          p_limit: PICKER_LIMIT,
        }),
        'search_task_filter_instances',
      ),
  },
  {
    name: 'my tasks: sequence picker, typed 3 letters',
    run: async (client, ctx) =>
      must(
        await client.rpc('search_task_filter_instances', {
          p_organisation_id: ctx.organisationId,
          p_search: 'dem',
          p_limit: PICKER_LIMIT,
        }),
        'search_task_filter_instances',
      ),
  },
];
