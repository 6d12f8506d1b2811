// GET /functions/v1/list-jobs?status=&workflow_id=&organisation_id=&created_from=&created_to=
//   &limit=&cursor=&scope=mine|organisation — the caller's jobs, newest first (seed 003
// iteration 3), a page at a time: `next_cursor` (opaque; null on the last page) continues
// after the page's last job, by keyset on (created_at, id) so pages neither skip nor repeat
// jobs started meanwhile. scope=mine (default) is the caller's own jobs; scope=organisation
// is every job RLS shows them: for an admin their organisations' jobs, for a member still
// their own. created_from is inclusive, created_to exclusive. Rows leave out step_data and
// the queue's columns: get-job has the whole job.
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { afterJobCursor, encodeJobCursor, jobCursorAfter } from '../_shared/domain/jobs.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { parseListJobsQuery } from '../_shared/workflow-inputs.ts';

const COLUMNS = [
  'id',
  'organisation_id',
  'workflow_id',
  'workflow_version',
  'user_id',
  'status',
  'input_data',
  'current_step_id',
  'final_result',
  'error_message',
  'error_code',
  'retry_count',
  'max_retries',
  'next_retry_at',
  'started_at',
  'completed_at',
  'idempotency_key',
  'created_at',
  'last_updated_at',
].join(', ');

type JobRow = { id: string; created_at: string };

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET');
    const { sub } = await requireUserClaims(req);
    const query = parseListJobsQuery(new URL(req.url).searchParams);
    const client = createUserClient(req);

    let workflowIds: string[] | null = null;
    if (query.workflow && 'id' in query.workflow) workflowIds = [query.workflow.id];
    else if (query.workflow) {
      // A key is unique per organisation: the caller may see it in several.
      const { data, error } = await client
        .from('workflows')
        .select('id')
        .eq('key', query.workflow.key);
      if (error) throw new HttpError(500, 'query_failed', error.message);
      workflowIds = (data as { id: string }[]).map((w) => w.id);
      if (workflowIds.length === 0) return json(200, { jobs: [], next_cursor: null });
    }

    let select = client.from('jobs').select(COLUMNS);
    if (query.scope === 'mine') select = select.eq('user_id', sub);
    if (query.statuses) select = select.in('status', query.statuses);
    if (workflowIds) select = select.in('workflow_id', workflowIds);
    if (query.organisationId) select = select.eq('organisation_id', query.organisationId);
    if (query.createdFrom) select = select.gte('created_at', query.createdFrom);
    if (query.createdTo) select = select.lt('created_at', query.createdTo);
    // Values validated by decodeCursor (timestamp and uuid shapes only).
    if (query.cursor) select = afterJobCursor(select, query.cursor);
    const { data, error } = await select
      .order('created_at', { ascending: false })
      .order('id', { ascending: false })
      .limit(query.limit + 1);
    if (error) throw new HttpError(500, 'query_failed', error.message);

    const rows = data as unknown as JobRow[];
    const jobs = rows.slice(0, query.limit);
    const last = jobs[jobs.length - 1];
    const nextCursor =
      rows.length > query.limit && last ? encodeJobCursor(jobCursorAfter(last)) : null;
    return json(200, { jobs, next_cursor: nextCursor });
  }),
);
