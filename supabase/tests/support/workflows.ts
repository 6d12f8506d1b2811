import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type pg from 'pg';
import type { Database, Json } from '@forkflow/db';
import { env, type Client } from './env.ts';
import { createFixtures, type TestUser } from './users.ts';

/**
 * Helpers for the workflow engine tests: calls to the workflow API functions over HTTP
 * through the gateway as a real user, an organisation with one user per role, and
 * workflows saved through save-workflow as its admin would.
 */

type Tables = Database['public']['Tables'];
export type Job = Tables['jobs']['Row'];
export type JobEvent = Tables['job_events']['Row'];
export type Workflow = Tables['workflows']['Row'];

/** Seed 003 iteration 4's example definition, verbatim. */
export const EXAMPLE_DEFINITION = {
  start_step: 'step1',
  steps: {
    step1: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.payload' },
      next_step: null,
    },
  },
  output_map: {
    result: '$.step1.output.echoed_data',
  },
};

/** Two echo steps: the second echoes the first's output. */
export const TWO_STEP_DEFINITION = {
  start_step: 'first',
  steps: {
    first: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.payload' },
      next_step: 'second',
    },
    second: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.first.output.echoed_data' },
      next_step: null,
    },
  },
  output_map: { result: '$.second.output.echoed_data' },
};

/** Whether the orchestrator exists in this checkout (it drives jobs under `pnpm test`). */
export const hasOrchestrator = existsSync(
  new URL('../../functions/workflow-orchestrator/index.ts', import.meta.url),
);

export async function tokenOf(user: TestUser): Promise<string> {
  const { data } = await user.client.auth.getSession();
  if (!data.session) throw new Error(`${user.email} has no session`);
  return data.session.access_token;
}

export interface FnResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls /functions/v1/<path> as `who` (a user, a raw token, or nobody). A plain-object body
 * is sent as JSON; a string is sent as it is (for malformed bodies).
 */
export async function callFunction<T = Record<string, unknown>>(
  path: string,
  options: {
    as?: TestUser | string | null;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<FnResponse<T>> {
  const token =
    options.as == null
      ? null
      : typeof options.as === 'string'
        ? options.as
        : await tokenOf(options.as);
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const res = await fetch(`${env.url}/functions/v1/${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export type ApiError = { error: { code: string; message: string; details?: unknown[] } };
export type Started = {
  job_id: string;
  status: string;
  created_at: string;
  workflow_id: string;
  workflow_version: number;
};

export const uniqueKey = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** Saves a workflow through save-workflow as `by`; throws unless it worked. */
export async function saveWorkflow(
  by: TestUser,
  input: {
    organisation_id: string;
    workflow_id?: string;
    key?: string;
    name?: string;
    definition?: unknown;
    retry_policy?: unknown;
    change_description?: string;
    expected_version?: number;
    description?: string;
  },
): Promise<Workflow> {
  const key = input.key ?? uniqueKey('wf');
  const res = await callFunction<Workflow>('save-workflow', {
    as: by,
    body: { key, name: input.name ?? `Workflow ${key}`, definition: EXAMPLE_DEFINITION, ...input },
  });
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`save-workflow: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** Starts a job through start-workflow as `by`; throws unless it was created. */
export async function startJob(
  by: TestUser,
  workflow: string,
  input: Record<string, Json> = { payload: 'hello' },
  extra: { headers?: Record<string, string>; organisation_id?: string } = {},
): Promise<Started> {
  const res = await callFunction<Started>('start-workflow', {
    as: by,
    body: {
      workflow_id: workflow,
      input_data: input,
      ...(extra.organisation_id ? { organisation_id: extra.organisation_id } : {}),
    },
    headers: extra.headers,
  });
  if (res.status !== 201)
    throw new Error(`start-workflow: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function readJob(service: Client, jobId: string): Promise<Job> {
  const { data, error } = await service.from('jobs').select('*').eq('id', jobId).single();
  if (error) throw new Error(`read job: ${error.message}`);
  return data;
}

/** Polls the job (as the service role) until `done` holds or the time is up. */
export async function waitForJob(
  service: Client,
  jobId: string,
  done: (job: Job) => boolean,
  timeoutMs = 20_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await readJob(service, jobId);
    if (done(job)) return job;
    if (Date.now() > deadline) {
      throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'];
export const UNFINISHED_STATUSES = ['pending', 'running', 'awaiting_retry'];

/**
 * A fresh organisation with an owner, an admin and two members, plus an outsider who owns
 * another organisation, and one workflow (the seed's example) in each.
 */
export async function createWorkflowOrganisation(label: string) {
  const fx = createFixtures(label);
  const { owner, admin, member, colleague, outsider } = await fx.users(
    'owner',
    'admin',
    'member',
    'colleague',
    'outsider',
  );
  const organisationId = await fx.organisation(owner, {
    admins: [admin],
    members: [member, colleague],
  });
  const otherOrganisationId = await fx.organisation(outsider);
  const workflow = await saveWorkflow(admin, { organisation_id: organisationId });
  const otherWorkflow = await saveWorkflow(outsider, { organisation_id: otherOrganisationId });
  return {
    fx,
    service: fx.service,
    owner,
    admin,
    member,
    colleague,
    outsider,
    organisationId,
    otherOrganisationId,
    workflow,
    otherWorkflow,
  };
}

/**
 * A job inserted directly as the database owner, as start_workflow_job would leave it but
 * not due for an hour (so no orchestrator picks it up), then put in whatever state a test
 * needs: the API cannot make a job completed or failed on demand.
 */
export async function insertJob(
  db: pg.Client,
  job: {
    user: TestUser;
    workflow: Pick<Workflow, 'id' | 'organisation_id' | 'version'>;
    input?: Json;
    set?: Partial<Omit<Job, 'id'>>;
  },
): Promise<Job> {
  // Rows as jsonb, so timestamps are strings exactly as PostgREST prints them.
  const { rows } = await db.query<{ job: Job }>(
    `insert into public.jobs
       (organisation_id, workflow_id, workflow_version, user_id, input_data, available_at)
     values ($1, $2, $3, $4, $5, now() + interval '1 hour')
     returning to_jsonb(jobs.*) as job`,
    [
      job.workflow.organisation_id,
      job.workflow.id,
      job.workflow.version,
      job.user.id,
      JSON.stringify(job.input ?? { payload: 'held' }),
    ],
  );
  const inserted = rows[0]?.job;
  if (!inserted) throw new Error('insert job: no row');
  await db.query(
    `insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status)
     values ($1, $2, $3, 'created', 'pending')`,
    [inserted.organisation_id, inserted.id, inserted.user_id],
  );
  const set = Object.entries(job.set ?? {});
  if (set.length === 0) return inserted;
  const assignments = set.map(([column, _], i) => `${column} = $${i + 2}`).join(', ');
  const values = set.map(([, value]) =>
    value !== null && typeof value === 'object' ? JSON.stringify(value) : value,
  );
  const updated = await db.query<{ job: Job }>(
    `update public.jobs set ${assignments} where id = $1 returning to_jsonb(jobs.*) as job`,
    [inserted.id, ...values],
  );
  return updated.rows[0]?.job as Job;
}

/** Set on a job that ran step `stepId` and failed there for good. */
export const failedAt = (stepId: string, stepData: Job['step_data'] = {}): Partial<Job> => ({
  status: 'failed',
  started_at: new Date().toISOString(),
  completed_at: new Date().toISOString(),
  current_step_id: stepId,
  step_data: stepData,
  retry_count: 3,
  attempt: 4,
  error_code: 'boom',
  error_message: 'the step failed',
});

export const completed = (): Partial<Job> => ({
  status: 'completed',
  started_at: new Date().toISOString(),
  completed_at: new Date().toISOString(),
  current_step_id: 'step1',
  step_data: { step1: { echoed_data: 'held' } },
  final_result: { result: 'held' },
  attempt: 1,
});
