import pg from 'pg';
import type { Database, Json } from '@forkflow/db';
import { env, type Client } from './env.ts';
import type { TestUser } from './users.ts';

/**
 * Helpers for the task and sequence tests: templates made through the builder's RPC as a
 * real user, restaurants seeded by the service role, and direct Postgres connections, both
 * as the superuser (setup the API cannot do, e.g. moving a resume_at into the past) and as
 * a user exactly as PostgREST runs their requests (for the race tests).
 */

type Tables = Database['public']['Tables'];
export type Task = Tables['tasks']['Row'];
export type Instance = Tables['sequence_instances']['Row'];
export type SequenceTemplate = Tables['sequence_templates']['Row'];
export type Restaurant = Tables['restaurants']['Row'];

/** What complete_task, skip_task and the editing RPCs return. */
export interface TaskResult {
  task: Task;
  next_task: Task | null;
  instance: Instance | null;
  warnings: string[];
}

export const asTaskResult = (data: Json | null): TaskResult => data as unknown as TaskResult;

export interface StepInput {
  name: string;
  delay_value?: number;
  delay_unit?: 'minutes' | 'hours' | 'days';
  type?: 'email' | 'call' | 'text' | 'social_message' | 'internal_activity';
  priority?: 'low' | 'medium' | 'high';
  custom_message?: string;
  message_template_id?: string;
  task_template_id?: string;
  assigned_to_override?: string;
  id?: string;
}

/** Seed 001's example: 7 steps, delays 0, 1, 1, 1, 1, 3, 7 days. */
export const DEMO_FOLLOW_UP_STEPS: StepInput[] = (
  [
    ['Send demo confirmation', 'email', 0],
    ['Prepare demo materials', 'internal_activity', 1],
    ['Reminder call day before', 'call', 1],
    ['Conduct demo', 'internal_activity', 1],
    ['Follow-up email', 'email', 1],
    ['Check-in call', 'call', 3],
    ['Contract proposal', 'email', 7],
  ] as const
).map(([name, type, delay_value]) => ({ name, type, delay_value, delay_unit: 'days' }));

/** `n` steps named "Step 1".."Step n", each due `delayDays` after the previous completion. */
export const steps = (n: number, delayDays = 1): StepInput[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `Step ${i + 1}`,
    delay_value: i === 0 ? 0 : delayDays,
    delay_unit: 'days' as const,
  }));

/** A sequence template with its steps, saved by `user` through save_sequence_template. */
export async function createTemplate(
  user: TestUser,
  organisationId: string,
  stepInputs: StepInput[],
  template: Record<string, Json> = {},
): Promise<SequenceTemplate> {
  const { data, error } = await user.client.rpc('save_sequence_template', {
    p_template: {
      organisation_id: organisationId,
      name: `Template ${Math.random().toString(36).slice(2, 8)}`,
      ...template,
    },
    p_steps: stepInputs as unknown as Json,
  });
  if (error || !data) throw new Error(`save_sequence_template: ${error?.message ?? 'no data'}`);
  return data;
}

/** A restaurant written by the service role, so setup never depends on the policies. */
export async function createRestaurant(
  service: Client,
  organisationId: string,
  values: Partial<Tables['restaurants']['Insert']> = {},
): Promise<Restaurant> {
  const { data, error } = await service
    .from('restaurants')
    .insert({ organisation_id: organisationId, name: 'Sequence Bistro', ...values })
    .select()
    .single();
  if (error) throw new Error(`seed restaurant: ${error.message}`);
  return data;
}

/** start_sequence as `user`; throws on error. */
export async function startSequence(
  user: TestUser,
  templateId: string,
  restaurantId: string,
  assignedTo?: string,
): Promise<Instance> {
  const { data, error } = await user.client.rpc('start_sequence', {
    p_template_id: templateId,
    p_restaurant_id: restaurantId,
    ...(assignedTo ? { p_assigned_to: assignedTo } : {}),
  });
  if (error || !data) throw new Error(`start_sequence: ${error?.message ?? 'no data'}`);
  return data;
}

/** An RPC returning { task, next_task, instance, warnings } as `user`; throws on error. */
export async function taskRpc(
  user: TestUser,
  fn: 'complete_task' | 'skip_task' | 'delete_sequence_task',
  taskId: string,
): Promise<TaskResult> {
  const { data, error } = await user.client.rpc(fn, { p_task_id: taskId });
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return asTaskResult(data);
}

/** The instance's tasks in step order, read by the service role. */
export async function instanceTasks(service: Client, instanceId: string): Promise<Task[]> {
  const { data, error } = await service
    .from('tasks')
    .select()
    .eq('sequence_instance_id', instanceId)
    .order('sequence_step_order');
  if (error) throw new Error(`read tasks: ${error.message}`);
  return data;
}

export async function readInstance(service: Client, instanceId: string): Promise<Instance> {
  const { data, error } = await service
    .from('sequence_instances')
    .select()
    .eq('id', instanceId)
    .single();
  if (error) throw new Error(`read instance: ${error.message}`);
  return data;
}

/** The active task of an instance (exactly one expected). */
export async function activeTask(service: Client, instanceId: string): Promise<Task> {
  const active = (await instanceTasks(service, instanceId)).filter((t) => t.status === 'active');
  if (active.length !== 1) throw new Error(`expected one active task, found ${active.length}`);
  return active[0]!;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const ms = (timestamp: string | null | undefined): number => {
  if (!timestamp) throw new Error('expected a timestamp');
  return Date.parse(timestamp);
};

/** A Postgres connection as the superuser: setup and checks the API cannot do. */
export async function adminDb(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: env.dbUrl });
  await client.connect();
  return client;
}

/**
 * A Postgres connection that acts as `userId` the way PostgREST runs a request: role
 * `authenticated` and the JWT claims in `request.jwt.claims` (session-wide here, so every
 * statement on this connection is that user's).
 */
export async function connectAs(userId: string): Promise<pg.Client> {
  const client = await adminDb();
  await client.query('set role authenticated');
  await client.query(`select set_config('request.jwt.claims', $1, false)`, [
    JSON.stringify({ sub: userId, role: 'authenticated' }),
  ]);
  return client;
}

/** Whether the business calendar (the calendar helper's migrations) is in this database. */
export async function hasBusinessCalendars(db: pg.Client): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(
    `select to_regclass('public.business_calendars') is not null as present`,
  );
  return rows[0]?.present ?? false;
}
