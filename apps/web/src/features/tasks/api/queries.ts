import type { Tables } from '@forkflow/db';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import { taskTypeSchema } from '@forkflow/domain/sequence-template';
import { type RestaurantOption } from '../types';

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

/** The most tasks one list shows; a rep's open work is far below this. */
export const TASK_LIST_LIMIT = 200;

const LIST_COLUMNS =
  'id, organisation_id, restaurant_id, name, description, type, priority, status, due_date, ' +
  'assigned_to, message, subject, metadata, sequence_instance_id, sequence_step_order, ' +
  'completed_at, skipped_at, cancelled_at, created_at, updated_at, ' +
  'restaurant:restaurants(id, name), ' +
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
> & {
  restaurant: { id: string; name: string } | null;
  sequence_instance: Pick<
    Tables<'sequence_instances'>,
    'id' | 'name' | 'status' | 'total_steps' | 'current_step_order'
  > | null;
};

const closedOrder: Record<string, 'completed_at' | 'skipped_at' | 'cancelled_at'> = {
  completed: 'completed_at',
  skipped: 'skipped_at',
  cancelled: 'cancelled_at',
};

export async function getTasks(organisationId: string, query: TaskQuery): Promise<TaskListItem[]> {
  let request = supabase
    .from('tasks')
    .select(LIST_COLUMNS)
    // RLS lets a user see every organisation they belong to: scope to the current one.
    .eq('organisation_id', organisationId)
    .eq('status', query.status);
  if (query.type) request = request.eq('type', query.type);
  if (query.restaurant) request = request.eq('restaurant_id', query.restaurant);
  if (query.instance) request = request.eq('sequence_instance_id', query.instance);
  if (query.assignee === UNASSIGNED) request = request.is('assigned_to', null);
  else if (query.assignee !== ANYONE) request = request.eq('assigned_to', query.assignee);
  const stamp = closedOrder[query.status];
  request = stamp
    ? request.order(stamp, { ascending: false })
    : request
        .order('due_date', { ascending: true, nullsFirst: false })
        .order('sequence_step_order', { ascending: true, nullsFirst: true });
  // A unique tiebreaker keeps the order stable between refetches.
  const { data, error } = await request
    .order('created_at')
    .order('id')
    .limit(TASK_LIST_LIMIT)
    .overrideTypes<TaskListItem[], { merge: false }>();
  if (error) raise(error);
  return data;
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

export type TaskFilterOptions = {
  restaurants: RestaurantOption[];
  instances: InstanceOption[];
};

/** Choices for the restaurant and sequence filters and the create form. */
export async function getTaskFilterOptions(organisationId: string): Promise<TaskFilterOptions> {
  const [restaurants, instances] = await Promise.all([
    supabase
      .from('restaurants')
      .select('id, name')
      .eq('organisation_id', organisationId)
      .order('name')
      .limit(1000),
    supabase
      .from('sequence_instances')
      .select('id, name, status')
      .eq('organisation_id', organisationId)
      .in('status', ['active', 'paused'])
      .order('started_at', { ascending: false })
      .limit(200),
  ]);
  if (restaurants.error) raise(restaurants.error);
  if (instances.error) raise(instances.error);
  return { restaurants: restaurants.data, instances: instances.data };
}

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
  list: (organisationId: string, query: TaskQuery) =>
    queryOptions({
      queryKey: [...taskQueries.lists(organisationId), query] as const,
      queryFn: () => getTasks(organisationId, query),
    }),
  forRestaurant: (organisationId: string, restaurantId: string) =>
    queryOptions({
      queryKey: [...taskQueries.lists(organisationId), 'restaurant', restaurantId] as const,
      queryFn: () => getRestaurantTasks(organisationId, restaurantId),
    }),
  filterOptions: (organisationId: string) =>
    queryOptions({
      queryKey: [...taskQueries.all(organisationId), 'filter-options'] as const,
      queryFn: () => getTaskFilterOptions(organisationId),
    }),
};
