import type { Tables } from '@forkflow/db';
import {
  ENDED_RUN_STATUSES,
  type FlowAssertion,
  type FlowMapping,
  type ResolvedValue,
  type RunFlowErrorCode,
  type RunFlowStatus,
  type RunMode,
  type RunStatus,
} from '@forkflow/domain/flows/schemas';
import { UUID_PATTERN } from '@forkflow/domain/ids';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// Runs of flow sequences (docs/projects-contract.md, "Runs"): read through PostgREST, written
// only by run-flow-sequence, flow-run-action and the orchestrator. jsonb columns are typed
// here with the domain's shapes (the generated types say Json).

export type RunFlowSnapshot = {
  id: string;
  workflow_id: string;
  workflow_name: string;
  mappings: Record<string, FlowMapping>;
  assertions: FlowAssertion[];
};

export type FlowRun = Omit<
  Tables<'flow_sequence_runs'>,
  'flows' | 'parameters' | 'variables' | 'error' | 'mode' | 'status'
> & {
  mode: RunMode;
  status: RunStatus;
  flows: RunFlowSnapshot[];
  parameters: Record<string, ResolvedValue>;
  variables: Record<string, ResolvedValue>;
  error: { flow_id: string; code: string; message: string } | null;
};

export type AssertionResult = {
  path: string;
  operator: string;
  expected?: unknown;
  actual?: unknown;
  passed: boolean;
  message: string;
};

export type RunFlow = Omit<
  Tables<'flow_sequence_run_flows'>,
  'inputs' | 'assertions' | 'error' | 'status'
> & {
  status: RunFlowStatus;
  inputs: Record<string, ResolvedValue>;
  assertions: AssertionResult[];
  error: { code: RunFlowErrorCode | string; message: string } | null;
};

export type RunJobEvent = Tables<'job_events'>;

export type RunDetail = {
  run: FlowRun;
  runFlows: RunFlow[];
  /** The events of every job of the run (each step's request and response), oldest first. */
  events: RunJobEvent[];
  sequenceName: string | null;
};

export const isRunEnded = (status: string) => ENDED_RUN_STATUSES.includes(status as RunStatus);

const notFoundError = () =>
  new AppError('This run doesn’t exist, or it belongs to another organisation.', {
    code: 'not_found',
  });

export async function getRun(organisationId: string, runId: string): Promise<RunDetail> {
  if (!UUID_PATTERN.test(runId)) throw notFoundError();
  const [run, runFlows] = await Promise.all([
    supabase
      .from('flow_sequence_runs')
      .select('*')
      .eq('organisation_id', organisationId)
      .eq('id', runId)
      .maybeSingle(),
    supabase
      .from('flow_sequence_run_flows')
      .select('*')
      .eq('organisation_id', organisationId)
      .eq('run_id', runId)
      .order('position')
      .order('attempt'),
  ]);
  if (run.error) raise(run.error);
  if (runFlows.error) raise(runFlows.error);
  if (!run.data) throw notFoundError();
  const jobIds = runFlows.data.map((row) => row.job_id).filter((id): id is string => Boolean(id));
  const [events, sequence] = await Promise.all([
    jobIds.length > 0
      ? supabase.from('job_events').select('*').in('job_id', jobIds).order('id')
      : Promise.resolve({ data: [] as RunJobEvent[], error: null }),
    supabase
      .from('flow_sequences')
      .select('name')
      .eq('organisation_id', organisationId)
      .eq('id', run.data.sequence_id)
      .maybeSingle(),
  ]);
  if (events.error) raise(events.error);
  return {
    run: run.data as unknown as FlowRun,
    runFlows: runFlows.data as unknown as RunFlow[],
    events: events.data ?? [],
    // A deleted sequence keeps its runs: the page then says "a deleted sequence".
    sequenceName: sequence.data?.name ?? null,
  };
}

export const RUNS_PAGE_SIZE = 10;

export type RunListItem = Pick<
  FlowRun,
  | 'id'
  | 'mode'
  | 'status'
  | 'environment_name'
  | 'created_by'
  | 'created_at'
  | 'started_at'
  | 'finished_at'
  | 'error'
>;

export async function getRuns(
  organisationId: string,
  sequenceId: string,
  page: number,
): Promise<{ rows: RunListItem[]; total: number }> {
  const from = page * RUNS_PAGE_SIZE;
  const { data, error, count } = await supabase
    .from('flow_sequence_runs')
    .select(
      'id, mode, status, environment_name, created_by, created_at, started_at, finished_at, error',
      {
        count: 'exact',
      },
    )
    .eq('organisation_id', organisationId)
    .eq('sequence_id', sequenceId)
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .range(from, from + RUNS_PAGE_SIZE - 1);
  if (error) raise(error);
  return { rows: data as unknown as RunListItem[], total: count ?? data.length };
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

/** While a run is running its page and its sequence's list refresh at this pace. */
export const RUN_REFRESH_MS = 1_000;
/**
 * A paused debug run changes only by someone's click: this page's own clicks refetch at once;
 * a teammate's Continue or Stop on the same run shows within this long.
 */
export const PAUSED_RUN_REFRESH_MS = 5_000;

export const flowRunQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'flow-runs'] as const,
  lists: (organisationId: string, sequenceId: string) =>
    [...flowRunQueries.all(organisationId), 'list', sequenceId] as const,
  list: (organisationId: string, sequenceId: string, page: number) =>
    queryOptions({
      queryKey: [...flowRunQueries.lists(organisationId, sequenceId), page] as const,
      queryFn: () => getRuns(organisationId, sequenceId, page),
      placeholderData: keepPreviousData,
    }),
  detail: (organisationId: string, runId: string) =>
    queryOptions({
      queryKey: [...flowRunQueries.all(organisationId), 'detail', runId] as const,
      queryFn: () => getRun(organisationId, runId),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
};
