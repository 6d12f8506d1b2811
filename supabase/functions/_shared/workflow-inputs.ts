// Input schemas of the workflow API functions (docs/workflows-contract.md, "HTTP API"), read
// with request.ts's readBody, and list-jobs' query. A bad body or query is a 400 with a
// message that names the field before anything reaches the database.
import { z } from 'npm:zod@^4.1.0';
import { isUuid, UUID_PATTERN, WORKFLOW_KEY_PATTERN } from './domain/ids.ts';
import {
  decodeJobCursor,
  isJobStatus,
  JOB_STATUSES,
  type JobCursor,
  type JobStatus,
  postgresReadsTimestamp,
} from './domain/jobs.ts';
import { HttpError } from './http.ts';

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');
const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

export const startWorkflowBodySchema = z.object(
  {
    /** The workflow's uuid or its key. */
    workflow_id: z
      .string({ error: 'workflow_id is required: the workflow uuid or key' })
      .min(1)
      .max(200),
    input_data: jsonObject,
    organisation_id: uuid.nullish(),
    /** The job this one re-runs (a readable job of the same workflow; issue 12 §9). */
    rerun_of: uuid.nullish(),
  },
  { error: 'The body must be a JSON object' },
);

export const jobIdBodySchema = z.object(
  { job_id: z.string({ error: 'job_id is required' }).regex(UUID_PATTERN, 'must be a UUID') },
  { error: 'The body must be a JSON object: { "job_id": "<uuid>" }' },
);

export const saveWorkflowBodySchema = z.object(
  {
    organisation_id: uuid,
    workflow_id: uuid.nullish(),
    key: z
      .string()
      .regex(
        WORKFLOW_KEY_PATTERN,
        'a key is 1 to 63 lower-case letters, digits, _ or -, starting with a letter or digit',
      ),
    name: z
      .string()
      .max(120)
      .refine((name) => name.trim().length > 0, 'a name is required'),
    description: z.string().max(2000).nullish(),
    // Checked by validateWorkflowDefinition, which reports every problem with its path.
    definition: z.unknown(),
    // Checked by retryPolicySchema likewise.
    retry_policy: z.unknown().optional(),
    change_description: z.string().max(500).nullish(),
    // At most Postgres' integer: a larger one would fail in the database as a 500.
    expected_version: z.int().min(1).max(2_147_483_647).nullish(),
    // The version a restore brings back (recorded on the new version); save_workflow checks
    // it is one of this workflow's versions (else 400 invalid_restored_from).
    restored_from: z.int().min(1).max(2_147_483_647).nullish(),
  },
  { error: 'The body must be a JSON object' },
);

// list-jobs ------------------------------------------------------------------------------

/** The cursor list-jobs returned, or 400. */
export function decodeCursor(value: string): JobCursor {
  const cursor = decodeJobCursor(value);
  if (!cursor) throw new HttpError(400, 'invalid_input', 'cursor is not one list-jobs returned');
  return cursor;
}

export type ListJobsQuery = {
  statuses: JobStatus[] | null;
  workflow: { id: string } | { key: string } | null;
  organisationId: string | null;
  createdFrom: string | null;
  createdTo: string | null;
  limit: number;
  cursor: JobCursor | null;
  scope: 'mine' | 'organisation';
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isoParam(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  if (value === null || value === '') return null;
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)) || !postgresReadsTimestamp(value)) {
    throw new HttpError(400, 'invalid_input', `${name} must be an ISO 8601 date or date-time`);
  }
  // Passed on as written: Postgres reads ISO 8601 itself and keeps microseconds, which a
  // round trip through Date would cut to milliseconds (job timestamps have microseconds).
  return value;
}

export function parseListJobsQuery(params: URLSearchParams): ListJobsQuery {
  const known = new Set([
    'status',
    'workflow_id',
    'organisation_id',
    'created_from',
    'created_to',
    'limit',
    'cursor',
    'scope',
  ]);
  for (const name of params.keys()) {
    if (!known.has(name)) {
      throw new HttpError(400, 'invalid_input', `Unknown query parameter ${name}`);
    }
  }

  let statuses: ListJobsQuery['statuses'] = null;
  const status = params.get('status');
  if (status) {
    const values = status.split(',').map((s) => s.trim());
    for (const value of values) {
      if (!isJobStatus(value)) {
        throw new HttpError(
          400,
          'invalid_input',
          `status must be one or more (comma-separated) of ${JOB_STATUSES.join(', ')}`,
        );
      }
    }
    statuses = [...new Set(values)] as ListJobsQuery['statuses'];
  }

  let workflow: ListJobsQuery['workflow'] = null;
  const workflowId = params.get('workflow_id');
  if (workflowId) {
    if (isUuid(workflowId)) workflow = { id: workflowId.toLowerCase() };
    else if (WORKFLOW_KEY_PATTERN.test(workflowId)) workflow = { key: workflowId };
    else throw new HttpError(400, 'invalid_input', 'workflow_id must be a workflow uuid or key');
  }

  const organisationId = params.get('organisation_id') || null;
  if (organisationId !== null && !isUuid(organisationId)) {
    throw new HttpError(400, 'invalid_input', 'organisation_id must be a UUID');
  }

  const createdFrom = isoParam(params, 'created_from');
  const createdTo = isoParam(params, 'created_to');

  let limit = 25;
  const limitParam = params.get('limit');
  if (limitParam !== null && limitParam !== '') {
    if (!/^\d{1,3}$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > 100) {
      throw new HttpError(400, 'invalid_input', 'limit must be a whole number from 1 to 100');
    }
    limit = Number(limitParam);
  }

  const cursorParam = params.get('cursor');
  const cursor = cursorParam ? decodeCursor(cursorParam) : null;

  const scope = params.get('scope') || 'mine';
  if (scope !== 'mine' && scope !== 'organisation') {
    throw new HttpError(400, 'invalid_input', 'scope must be mine or organisation');
  }

  return { statuses, workflow, organisationId, createdFrom, createdTo, limit, cursor, scope };
}
