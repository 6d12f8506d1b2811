import type { Tables } from '@forkflow/db';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import { taskTypeSchema } from '@forkflow/domain/sequence-template';
import { type RestaurantOption } from '../types';
import { automationPollInterval } from '../utils/automation';

export const ME = 'me';
export const ANYONE = 'anyone';
export const UNASSIGNED = 'unassigned';

/** The status filter: one status at a time; "active" (to do) is the default view. */
export const taskStatusFilters = [
  'active',
  'pending',
  'completed',
  'skipped',
  'cancelled',
] as const;
export type TaskStatusFilter = (typeof taskStatusFilters)[number];

export const taskStatusFilterLabels: Record<TaskStatusFilter, string> = {
  active: 'To do',
  pending: 'Upcoming steps',
  completed: 'Completed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

// Filters live in the URL (?status=&type=&restaurant=&instance=&assignee=); anything
// malformed there is ignored rather than breaking the page.
export const taskFiltersSchema = z.object({
  status: z.enum(taskStatusFilters).catch('active'),
  type: taskTypeSchema.optional().catch(undefined),
  restaurant: z.uuid().optional().catch(undefined),
  instance: z.uuid().optional().catch(undefined),
  assignee: z.union([z.uuid(), z.enum([ME, ANYONE, UNASSIGNED])]).catch(ME),
});

export type TaskFilters = z.output<typeof taskFiltersSchema>;

export const defaultTaskFilters: TaskFilters = { status: 'active', assignee: ME };

export function parseTaskFilters(params: URLSearchParams): TaskFilters {
  return taskFiltersSchema.parse({
    status: params.get('status') ?? undefined,
    type: params.get('type') ?? undefined,
    restaurant: params.get('restaurant') ?? undefined,
    instance: params.get('instance') ?? undefined,
    assignee: params.get('assignee') ?? undefined,
  });
}

/**
 * What the server is asked for: the filters with "me" replaced by the user's id, so the
 * cache key says exactly whose tasks these are.
 */
export type TaskQuery = Omit<TaskFilters, 'assignee'> & {
  assignee: string | typeof ANYONE | typeof UNASSIGNED;
};

export function toTaskQuery(filters: TaskFilters, userId: string): TaskQuery {
  return { ...filters, assignee: filters.assignee === ME ? userId : filters.assignee };
}

/** The most tasks a restaurant's panel shows; one restaurant's work is far below this. */
export const TASK_LIST_LIMIT = 200;

const LIST_COLUMNS =
  'id, organisation_id, restaurant_id, name, description, type, priority, status, due_date, ' +
  'assigned_to, message, subject, metadata, sequence_instance_id, sequence_step_order, ' +
  'completed_at, skipped_at, cancelled_at, created_at, updated_at, ' +
  'automation_status, job_id, automation_error, automation_output, ' +
  'restaurant:restaurants(id, name), ' +
  // An automated task's job and its workflow's name ("Running Enrich lead"); null when the
  // reader may not see the job (jobs are their user's and the admins').
  'job:jobs!tasks_job_id_fkey(id, status, workflow:workflows!jobs_workflow_id_fkey(name)), ' +
  'sequence_instance:sequence_instances(id, name, status, total_steps, current_step_order)';

type Task = Tables<'tasks'>;

export type TaskListItem = Pick<
  Task,
  | 'id'
  | 'organisation_id'
  | 'restaurant_id'
  | 'name'
  | 'description'
  | 'type'
  | 'priority'
  | 'status'
  | 'due_date'
  | 'assigned_to'
  | 'message'
  | 'subject'
  | 'metadata'
  | 'sequence_instance_id'
  | 'sequence_step_order'
  | 'completed_at'
  | 'skipped_at'
  | 'cancelled_at'
  | 'created_at'
  | 'updated_at'
  | 'automation_status'
  | 'job_id'
  | 'automation_error'
  | 'automation_output'
> & {
  restaurant: { id: string; name: string } | null;
  job: { id: string; status: string; workflow: { name: string } | null } | null;
  sequence_instance: Pick<
    Tables<'sequence_instances'>,
    'id' | 'name' | 'status' | 'total_steps' | 'current_step_order'
  > | null;
};

// My tasks pages ------------------------------------------------------------------------------
// Each section of My tasks pages by itself, with a keyset (my_tasks_page in
// supabase/migrations/20261122008000_my_tasks_paging.sql): open tasks by due date in four
// sections, closed ones in one list, newest first.

export const openTaskSections = ['overdue', 'today', 'upcoming', 'no_due_date'] as const;
export type MyTaskSectionId = (typeof openTaskSections)[number] | 'all';

/** The sections a status shows, in reading order. */
export function sectionsFor(status: TaskStatusFilter): readonly MyTaskSectionId[] {
  return status === 'active' || status === 'pending' ? openTaskSections : ['all'];
}

/** Rows per "Load more". */
export const TASK_PAGE_SIZE = 50;

/** Where a page starts or ends: the section's sort time and the id that breaks ties. */
export type TaskCursor = { at: string; id: string };

/** A row's key in its section's order (the columns my_tasks_page sorts by). */
export function cursorOf(task: TaskListItem, section: MyTaskSectionId): TaskCursor {
  const at =
    section === 'no_due_date'
      ? task.created_at
      : section === 'all'
        ? (task.completed_at ?? task.skipped_at ?? task.cancelled_at)
        : task.due_date;
  // Rows of a section always have their key; a missing one would be a server bug.
  if (!at) throw new Error(`task ${task.id} has no ${section} sort time`);
  return { at, id: task.id };
}

/**
 * One page's request. `asOf` fixes "now" for the sections' boundaries while the page is open,
 * so each page of a section agrees where overdue ends and today begins. A page already shown
 * has `through` (its last row when more was loaded), so refetching it after a complete or a
 * new task keeps the same range: nothing appears on two pages, nothing falls between them.
 */
export type TaskPageRequest = {
  query: TaskQuery;
  section: MyTaskSectionId;
  asOf: string;
  timeZone: string;
  after: TaskCursor | null;
  through: TaskCursor | null;
};

function filterArgs(organisationId: string, query: TaskQuery) {
  return {
    p_organisation_id: organisationId,
    p_status: query.status,
    p_assignee: query.assignee,
    p_type: query.type,
    p_restaurant_id: query.restaurant,
    p_instance_id: query.instance,
  };
}

export async function getTaskPage(
  organisationId: string,
  request: TaskPageRequest,
): Promise<TaskListItem[]> {
  const { data, error } = await supabase
    .rpc('my_tasks_page', {
      ...filterArgs(organisationId, request.query),
      p_section: request.section,
      p_now: request.asOf,
      p_time_zone: request.timeZone,
      p_after_at: request.after?.at,
      p_after_id: request.after?.id,
      p_through_at: request.through?.at,
      p_through_id: request.through?.id,
      // A closed range holds what it held when it was a page, give or take new rows.
      p_limit: request.through ? 500 : TASK_PAGE_SIZE,
    })
    .select(LIST_COLUMNS)
    .overrideTypes<TaskListItem[], { merge: false }>();
  if (error) raise(error);
  return data;
}

const countSchema = z.number().int().nonnegative();
const taskCountsSchema = z.object({
  cap: countSchema,
  total: countSchema,
  overdue: countSchema.optional(),
  today: countSchema.optional(),
  upcoming: countSchema.optional(),
  no_due_date: countSchema.optional(),
});
export type TaskCounts = z.output<typeof taskCountsSchema>;

/** How many tasks each section holds, each counted up to `cap` + 1 (more reads as "cap+"). */
export async function getTaskCounts(
  organisationId: string,
  query: TaskQuery,
  asOf: string,
  timeZone: string,
): Promise<TaskCounts> {
  const { data, error } = await supabase.rpc('my_task_counts', {
    ...filterArgs(organisationId, query),
    p_now: asOf,
    p_time_zone: timeZone,
  });
  if (error) raise(error);
  return taskCountsSchema.parse(data);
}

/** A section's count, or undefined before it is known. */
export function sectionCount(
  counts: TaskCounts | undefined,
  section: MyTaskSectionId,
): number | undefined {
  if (!counts) return undefined;
  return section === 'all' ? counts.total : counts[section];
}

/** "12", "1,000+" (the counts stop at their cap). */
export function formatTaskCount(count: number, cap: number): string {
  return count > cap ? `${cap.toLocaleString('en-GB')}+` : count.toLocaleString('en-GB');
}

/** "Now" for My tasks' section boundaries, to the minute (so the route's prefetch and the page agree). */
export function taskListAsOf(now: Date = new Date()): string {
  const minute = new Date(now);
  minute.setSeconds(0, 0);
  return minute.toISOString();
}

// The filters' pickers: a name prefix, 20 at a time (search_task_filter_*). ----------------------

export const PICKER_LIMIT = 20;

export async function searchTaskRestaurants(
  organisationId: string,
  search: string,
  limit = PICKER_LIMIT,
  signal?: AbortSignal,
): Promise<RestaurantOption[]> {
  let request = supabase.rpc('search_task_filter_restaurants', {
    p_organisation_id: organisationId,
    p_search: search,
    p_limit: limit,
  });
  if (signal) request = request.abortSignal(signal);
  const { data, error } = await request;
  if (error) raise(error);
  return data;
}

export async function searchTaskInstances(
  organisationId: string,
  search: string,
  limit = PICKER_LIMIT,
  signal?: AbortSignal,
): Promise<InstanceOption[]> {
  let request = supabase.rpc('search_task_filter_instances', {
    p_organisation_id: organisationId,
    p_search: search,
    p_limit: limit,
  });
  if (signal) request = request.abortSignal(signal);
  const { data, error } = await request;
  if (error) raise(error);
  return data;
}

/** The name of the restaurant or sequence a filter names (it may be past the first 20). */
export async function getFilterLabel(
  table: 'restaurants' | 'sequence_instances',
  organisationId: string,
  id: string,
): Promise<string | null> {
  const { data, error } = await supabase
    .from(table)
    .select('name')
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  return data?.name ?? null;
}

/** A restaurant's tasks for its detail page: open ones first, then the latest done. */
export async function getRestaurantTasks(
  organisationId: string,
  restaurantId: string,
): Promise<TaskListItem[]> {
  const { data, error } = await supabase
    .from('tasks')
    .select(LIST_COLUMNS)
    .eq('organisation_id', organisationId)
    .eq('restaurant_id', restaurantId)
    .order('due_date', { ascending: true, nullsFirst: false })
    .order('sequence_step_order', { ascending: true, nullsFirst: true })
    .order('created_at')
    .order('id')
    .limit(TASK_LIST_LIMIT)
    .overrideTypes<TaskListItem[], { merge: false }>();
  if (error) raise(error);
  return data;
}

export type InstanceOption = { id: string; name: string; status: string };

export type TaskTemplateOption = Pick<
  Tables<'task_templates'>,
  'id' | 'name' | 'type' | 'priority' | 'default_message' | 'message_template_id' | 'description'
> & {
  message_template: Pick<Tables<'message_templates'>, 'subject' | 'message_content'> | null;
};

export const taskQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'tasks'] as const,
  /** Every cached array of tasks (My tasks views and restaurant panels) shares this prefix. */
  lists: (organisationId: string) => [...taskQueries.all(organisationId), 'list'] as const,
  /** One page of one My tasks section: an array under `lists`, so complete/skip patch it. */
  page: (organisationId: string, request: TaskPageRequest) =>
    queryOptions({
      queryKey: [...taskQueries.lists(organisationId), 'my', request] as const,
      queryFn: () => getTaskPage(organisationId, request),
      refetchInterval: (query) => automationPollInterval(query.state.data),
      // As the app's default, said here because "Load more" seeds a closed range with rows
      // just read: it must not fetch them again at once (complete/skip still invalidates).
      staleTime: 30_000,
    }),
  counts: (organisationId: string, query: TaskQuery, asOf: string, timeZone: string) =>
    queryOptions({
      queryKey: [...taskQueries.all(organisationId), 'counts', query, asOf, timeZone] as const,
      queryFn: () => getTaskCounts(organisationId, query, asOf, timeZone),
    }),
  /** The pickers' searches (SearchPicker appends the text and limit). */
  pickers: (organisationId: string, kind: 'restaurants' | 'instances') =>
    [...taskQueries.all(organisationId), 'picker', kind] as const,
  filterLabel: (organisationId: string, table: 'restaurants' | 'sequence_instances', id: string) =>
    queryOptions({
      queryKey: [...taskQueries.all(organisationId), 'filter-label', table, id] as const,
      queryFn: () => getFilterLabel(table, organisationId, id),
      staleTime: 60_000,
    }),
  forRestaurant: (organisationId: string, restaurantId: string) =>
    queryOptions({
      queryKey: [...taskQueries.lists(organisationId), 'restaurant', restaurantId] as const,
      queryFn: () => getRestaurantTasks(organisationId, restaurantId),
      refetchInterval: (query) => automationPollInterval(query.state.data),
    }),
};
