// POST /functions/v1/execute-crm — the CRM transformers' executor (issue 14 §2;
// docs/automation-contract.md, "CRM transformers"; docs/automation/crm-actions.md).
//
//   orchestrator ──(service role, call { organisation_id, user_id, input, config.action })──▶
//   execute-crm ──(a 60 s token it signs for user_id, role authenticated)──▶ PostgREST
//                  RLS and the RPCs' own checks decide, as for the member's own request
//
// Actions (config.action; each input field may also come from config, input first):
//   create_task        restaurant_id, name, type, due_date?, assigned_to?, description?
//                      → { task }
//   update_restaurant  restaurant_id, lead_stage?, lead_warmth?, lead_status?, append_note?
//                      → { restaurant } (crm_update_restaurant: one statement)
//   start_sequence     restaurant_id, sequence_template_id | sequence_template_name
//                      → { sequence_instance } (start_sequence)
//   complete_task      task_id, outcome? → { task, next_task } (complete_task)
// Every query names the job's organisation_id, so a user in two organisations never reaches
// the other one's rows from this job; a row not visible there is `not_found`. Never the
// service role: a call without user_id or organisation_id is `invalid_input`.
import { createClient, type SupabaseClient } from 'npm:@supabase/supabase-js@2';
import { ExecutorError, executor, invalidInput } from '../_shared/executor.ts';
import { isUuid } from '../_shared/domain/ids.ts';
import {
  actionOf,
  CREATABLE_TASK_TYPES,
  field,
  inputObject,
  notFound,
  optionalChoice,
  optionalInstant,
  optionalText,
  optionalUuid,
  requiredText,
  requiredUuid,
  signUserToken,
  stepErrorFromPostgrest,
} from './input.ts';
import { leadStages, leadStatuses, leadWarmths } from '../_shared/domain/restaurants.ts';
import { callOutcomes } from '../_shared/domain/tasks.ts';

/** What a step's output keeps of a task: enough to chain on it, not its message body. */
const TASK_COLUMNS =
  'id, organisation_id, restaurant_id, name, type, status, priority, due_date, assigned_to, sequence_instance_id, sequence_step_order, completed_at';
const RESTAURANT_COLUMNS =
  'id, organisation_id, name, lead_stage, lead_warmth, lead_status, assigned_sales_rep, updated_at';

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) {
    throw new ExecutorError('not_configured', `${name} is not set for the functions`, {
      retryable: false,
      status: 500,
    });
  }
  return value;
}

/** A PostgREST client that is the job's user: their token, no session of its own. */
async function clientFor(userId: string): Promise<SupabaseClient> {
  // The same secret the functions verify tokens with (_shared/claims.ts): hosted Supabase
  // refuses secrets named SUPABASE_*, so JWT_SECRET there.
  const secret = Deno.env.get('SUPABASE_JWT_SECRET') || Deno.env.get('JWT_SECRET');
  if (!secret) {
    throw new ExecutorError('not_configured', 'SUPABASE_JWT_SECRET (or JWT_SECRET) is not set', {
      retryable: false,
      status: 500,
    });
  }
  const token = await signUserToken(userId, secret);
  return createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

interface Answer<T> {
  data: T | null;
  error: { code?: string; message: string; details?: string | null; hint?: string | null } | null;
  status?: number;
}

/** The row, or the database's refusal as the step's error. */
function rowOf<T>(answer: Answer<T>, what: string): T {
  if (answer.error) throw stepErrorFromPostgrest(answer.error, answer.status, what);
  if (answer.data === null) throw notFound(what);
  return answer.data;
}

/** The restaurant as this user sees it in this organisation (RLS: not trashed, a member). */
async function visibleRestaurant(db: SupabaseClient, organisationId: string, id: string) {
  return rowOf(
    await db
      .from('restaurants')
      .select('id')
      .eq('organisation_id', organisationId)
      .eq('id', id)
      .maybeSingle(),
    `restaurant ${id}`,
  );
}

async function createTask(
  db: SupabaseClient,
  organisationId: string,
  userId: string,
  input: Record<string, unknown>,
  config: Record<string, unknown>,
) {
  const restaurantId = requiredUuid(field(input, config, 'restaurant_id'), 'restaurant_id');
  const name = requiredText(field(input, config, 'name'), 'name', 200);
  const type = optionalChoice(field(input, config, 'type'), 'type', CREATABLE_TASK_TYPES);
  if (!type) throw invalidInput(`type is required: one of ${CREATABLE_TASK_TYPES.join(', ')}`);
  const dueDate = optionalInstant(field(input, config, 'due_date'), 'due_date');
  const assignedTo = optionalUuid(field(input, config, 'assigned_to'), 'assigned_to');
  const description = optionalText(field(input, config, 'description'), 'description', 5000);
  // Checked first so another organisation's restaurant is `not_found`, as for the others,
  // rather than the composite foreign key's 409.
  await visibleRestaurant(db, organisationId, restaurantId);
  const task = rowOf(
    await db
      .from('tasks')
      .insert({
        organisation_id: organisationId,
        restaurant_id: restaurantId,
        name,
        type,
        due_date: dueDate ?? null,
        // Default: the job's user, as the column's default (auth.uid()) would.
        assigned_to: assignedTo ?? userId,
        description: description ?? null,
        created_by: userId,
      })
      .select(TASK_COLUMNS)
      .single(),
    'the task',
  );
  return { task };
}

async function updateRestaurant(
  db: SupabaseClient,
  organisationId: string,
  input: Record<string, unknown>,
  config: Record<string, unknown>,
) {
  const restaurantId = requiredUuid(field(input, config, 'restaurant_id'), 'restaurant_id');
  const stage = optionalChoice(field(input, config, 'lead_stage'), 'lead_stage', leadStages);
  const warmth = optionalChoice(field(input, config, 'lead_warmth'), 'lead_warmth', leadWarmths);
  const status = optionalChoice(field(input, config, 'lead_status'), 'lead_status', leadStatuses);
  const note = optionalText(field(input, config, 'append_note'), 'append_note', 10_000);
  if (!stage && !warmth && !status && !note)
    throw invalidInput(
      'Nothing to change: give lead_stage, lead_warmth, lead_status or append_note',
    );
  const restaurant = rowOf(
    await db
      .rpc('crm_update_restaurant', {
        p_organisation_id: organisationId,
        p_restaurant_id: restaurantId,
        p_lead_stage: stage ?? null,
        p_lead_warmth: warmth ?? null,
        p_lead_status: status ?? null,
        p_append_note: note ?? null,
      })
      .select(RESTAURANT_COLUMNS)
      .single(),
    `restaurant ${restaurantId}`,
  );
  return { restaurant };
}

async function startSequence(
  db: SupabaseClient,
  organisationId: string,
  input: Record<string, unknown>,
  config: Record<string, unknown>,
) {
  const restaurantId = requiredUuid(field(input, config, 'restaurant_id'), 'restaurant_id');
  // The input's choice, else the config's (a preset may name a default sequence).
  const source =
    input.sequence_template_id != null || input.sequence_template_name != null ? input : config;
  const byId = optionalUuid(source.sequence_template_id, 'sequence_template_id');
  const templateName = byId
    ? undefined
    : optionalText(source.sequence_template_name, 'sequence_template_name', 200);
  if (!byId && !templateName)
    throw invalidInput('Give sequence_template_id or sequence_template_name');

  let query = db
    .from('sequence_templates')
    .select('id, name')
    .eq('organisation_id', organisationId);
  query = byId ? query.eq('id', byId) : query.eq('name', templateName!);
  const answer = await query.limit(2);
  const templates = rowOf(answer, 'the sequence template');
  if (templates.length === 0)
    throw notFound(byId ? `sequence template ${byId}` : `sequence template "${templateName}"`);
  if (templates.length > 1)
    throw invalidInput(
      `More than one sequence template is named "${templateName}": give sequence_template_id`,
    );
  await visibleRestaurant(db, organisationId, restaurantId);
  const instance = rowOf(
    await db
      .rpc('start_sequence', { p_template_id: templates[0]!.id, p_restaurant_id: restaurantId })
      .select(
        'id, organisation_id, sequence_template_id, restaurant_id, name, status, current_step_order, total_steps, assigned_to, started_at',
      )
      .single(),
    'the sequence',
  );
  return { sequence_instance: instance };
}

async function completeTask(
  db: SupabaseClient,
  organisationId: string,
  input: Record<string, unknown>,
  config: Record<string, unknown>,
) {
  const taskId = requiredUuid(field(input, config, 'task_id'), 'task_id');
  const outcome = optionalChoice(field(input, config, 'outcome'), 'outcome', callOutcomes);
  rowOf(
    await db
      .from('tasks')
      .select('id')
      .eq('organisation_id', organisationId)
      .eq('id', taskId)
      .maybeSingle(),
    `task ${taskId}`,
  );
  const result = rowOf(
    await db.rpc('complete_task', { p_task_id: taskId, p_outcome: outcome ?? null }),
    `task ${taskId}`,
  ) as { task?: Record<string, unknown>; next_task?: Record<string, unknown> | null };
  const pick = (row: Record<string, unknown> | null | undefined) =>
    row
      ? Object.fromEntries(TASK_COLUMNS.split(', ').map((column) => [column, row[column] ?? null]))
      : null;
  return { task: pick(result.task), next_task: pick(result.next_task) };
}

Deno.serve(
  executor('execute-crm', async ({ input, config, organisation_id, user_id }) => {
    const action = actionOf(config);
    const fields = inputObject(input);
    // Never the service role: without the job's user there is no one to act as.
    if (!user_id || !isUuid(user_id))
      throw invalidInput("The call has no user_id: execute-crm acts only as the job's user");
    if (!organisation_id || !isUuid(organisation_id))
      throw invalidInput(
        "The call has no organisation_id: execute-crm acts only in the job's organisation",
      );
    const db = await clientFor(user_id);
    switch (action) {
      case 'create_task':
        return { output: await createTask(db, organisation_id, user_id, fields, config) };
      case 'update_restaurant':
        return { output: await updateRestaurant(db, organisation_id, fields, config) };
      case 'start_sequence':
        return { output: await startSequence(db, organisation_id, fields, config) };
      case 'complete_task':
        return { output: await completeTask(db, organisation_id, fields, config) };
    }
  }),
);
