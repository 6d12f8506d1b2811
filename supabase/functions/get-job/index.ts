// GET /functions/v1/get-job/<job_id> — one job with its history, oldest event first (seed 003
// iteration 3). Read as the caller, so RLS decides: their own jobs, or every job of an
// organisation they administer. Anything else, including an id that is not a UUID, is 404:
// the caller learns nothing about jobs they cannot see.
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { isUuid } from '../_shared/domain/ids.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { annotate } from '../_shared/request-log.ts';

/** The id after the function's name in the path; `?job_id=` works too. */
function jobIdOf(req: Request): string {
  const url = new URL(req.url);
  const parts = url.pathname.split('/').filter(Boolean);
  const at = parts.lastIndexOf('get-job');
  const id = (at >= 0 ? parts[at + 1] : undefined) ?? url.searchParams.get('job_id') ?? '';
  if (!isUuid(id)) {
    throw new HttpError(404, 'not_found', 'No such job: use GET /functions/v1/get-job/<job uuid>');
  }
  return id.toLowerCase();
}

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET');
    await requireUserClaims(req);
    const jobId = jobIdOf(req);
    annotate(req, { job_id: jobId });
    const client = createUserClient(req);

    const [job, events] = await Promise.all([
      client.from('jobs').select('*').eq('id', jobId).maybeSingle(),
      client.from('job_events').select('*').eq('job_id', jobId).order('id', { ascending: true }),
    ]);
    if (job.error) throw new HttpError(500, 'query_failed', job.error.message);
    if (events.error) throw new HttpError(500, 'query_failed', events.error.message);
    if (!job.data) throw new HttpError(404, 'not_found', 'No such job');
    return json(200, { job: job.data, events: events.data });
  }),
);
