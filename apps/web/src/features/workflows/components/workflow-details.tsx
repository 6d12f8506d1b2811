import { useQuery } from '@tanstack/react-query';
import {
  Archive,
  ArchiveRestore,
  Copy,
  Download,
  GitCompare,
  History,
  ListChecks,
  Pencil,
  Play,
  Trash2,
  XCircle,
} from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime } from '@/lib/utils';
import { useDuplicateWorkflow } from '../api/duplicate-workflow';
import { useMoveWorkflowToTrash } from '../api/move-workflow-to-trash';
import { workflowQueries, type Workflow, type WorkflowVersion } from '../api/queries';
import { useSetWorkflowStatus } from '../api/set-workflow-status';
import { prettyDefinition } from '../utils/analyse-definition';
import { DeleteWorkflowDialog } from './delete-workflow-dialog';
import { policyRows } from '../utils/retry-policy';
import { downloadWorkflowExport } from '../utils/workflow-file';
import { DefinitionCanvas } from './canvas/lazy-canvas';
import { WorkflowInputsTable } from './workflow-inputs-table';
import { WorkflowMeta } from './workflow-meta';
import { VersionCompareDialog } from './version-compare';
import { WorkflowVersionDialog } from './workflow-version-dialog';
import { WorkflowUsedBy } from './workflow-used-by';
import { WorkflowStatusBadge } from './workflows-list';

type Props = {
  id: string;
  /** Owners and admins edit and archive. */
  canManage: boolean;
  /** Names for authors (user id → name). */
  memberNames: ReadonlyMap<string, string>;
  onRun: (workflow: Workflow) => void;
};

type Steps = Record<string, { transformer_id?: unknown; next_step?: unknown }>;

/** The steps in the order they run (start_step, then next_step), for the summary. */
export function orderedSteps(definition: unknown): { id: string; transformer: string }[] {
  if (typeof definition !== 'object' || definition === null) return [];
  const { start_step, steps } = definition as { start_step?: unknown; steps?: unknown };
  if (typeof steps !== 'object' || steps === null) return [];
  const all = steps as Steps;
  const out: { id: string; transformer: string }[] = [];
  const seen = new Set<string>();
  let current = typeof start_step === 'string' ? start_step : null;
  while (current && Object.hasOwn(all, current) && !seen.has(current)) {
    seen.add(current);
    const step = all[current];
    out.push({ id: current, transformer: String(step?.transformer_id ?? '?') });
    current = typeof step?.next_step === 'string' ? step.next_step : null;
  }
  return out;
}

export function WorkflowDetails({ id, canManage, memberNames, onRun }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const query = useQuery(workflowQueries.detail(organisation.id, id));
  const versions = useQuery(workflowQueries.versions(organisation.id, id));
  const [confirmStatus, setConfirmStatus] = useState(false);
  const [confirmTrash, setConfirmTrash] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const navigate = useNavigate();
  const [viewing, setViewing] = useState<WorkflowVersion | null>(null);
  const [comparing, setComparing] = useState(false);
  const setStatus = useSetWorkflowStatus({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_row, { status, name }) => {
        setConfirmStatus(false);
        toast({
          title: status === 'archived' ? 'Workflow archived' : 'Workflow restored',
          description: name,
        });
      },
      onError: (error) => {
        setConfirmStatus(false);
        toast({
          tone: 'error',
          title: "Couldn't change the workflow's status",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  const moveToTrash = useMoveWorkflowToTrash({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_result, { name }) => {
        setConfirmTrash(false);
        toast({ title: 'Moved to the trash', description: name });
        void navigate(paths.app.workflows.getHref());
      },
      onError: (error) => {
        setConfirmTrash(false);
        toast({
          tone: 'error',
          title: "Couldn't move the workflow to the trash",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  const duplicate = useDuplicateWorkflow({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (copy) => {
        toast({ title: 'Workflow duplicated', description: `${copy.name} (${copy.key})` });
        void navigate(paths.app.workflow.getHref(copy.id));
      },
      onError: (error) => {
        toast({
          tone: 'error',
          title: "Couldn't duplicate the workflow",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  const back = <BackLink to={paths.app.workflows.getHref()}>Workflows</BackLink>;

  if (query.isPending || !query.data) {
    return (
      <DetailPlaceholder
        back={back}
        query={query}
        label="Loading workflow"
        notFoundTitle="Workflow not found"
        errorTitle="Couldn't load this workflow"
      >
        <div className="space-y-4">
          <Skeleton className="h-8 w-72 max-w-full" />
          <Skeleton className="h-64" />
        </div>
      </DetailPlaceholder>
    );
  }

  const workflow = query.data;
  const archived = workflow.status === 'archived';
  const steps = orderedSteps(workflow.definition);

  return (
    <div className="space-y-6">
      <header className="space-y-3">
        {back}
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
                {workflow.name}
              </h1>
              <WorkflowStatusBadge status={workflow.status} />
            </div>
            <WorkflowMeta workflow={workflow} className="mt-1 text-sm text-slate-600" />
            {workflow.description ? (
              <p className="mt-2 max-w-2xl text-sm text-slate-600">{workflow.description}</p>
            ) : null}
          </div>
          <div className="flex w-full flex-wrap gap-2 sm:w-auto">
            <Button
              onClick={() => onRun(workflow)}
              disabled={archived}
              title={archived ? 'Restore the workflow to run it' : undefined}
            >
              <Play className="size-4" aria-hidden />
              Run
            </Button>
            <ButtonLink
              to={paths.app.jobs.getHref(new URLSearchParams({ workflow: workflow.id }).toString())}
            >
              <ListChecks className="size-4" aria-hidden />
              Jobs
            </ButtonLink>
            <Button
              variant="secondary"
              onClick={() => downloadWorkflowExport(workflow)}
              title={`Download ${workflow.key}.workflow.json, to import elsewhere`}
            >
              <Download className="size-4" aria-hidden />
              Export
            </Button>
            {canManage ? (
              <>
                <ButtonLink to={paths.app.editWorkflow.getHref(workflow.id)}>
                  <Pencil className="size-4" aria-hidden />
                  Edit
                </ButtonLink>
                <Button
                  variant="secondary"
                  isLoading={duplicate.isPending}
                  onClick={() =>
                    duplicate.mutate({ organisationId: organisation.id, id: workflow.id })
                  }
                >
                  {duplicate.isPending ? null : <Copy className="size-4" aria-hidden />}
                  Duplicate
                </Button>
                <Button variant="secondary" onClick={() => setConfirmStatus(true)}>
                  {archived ? (
                    <ArchiveRestore className="size-4" aria-hidden />
                  ) : (
                    <Archive className="size-4" aria-hidden />
                  )}
                  {archived ? 'Restore' : 'Archive'}
                </Button>
                <Button variant="secondary" onClick={() => setConfirmTrash(true)}>
                  <Trash2 className="size-4" aria-hidden />
                  Move to trash
                </Button>
                <Button variant="secondary-danger" onClick={() => setConfirmDelete(true)}>
                  <XCircle className="size-4" aria-hidden />
                  Delete permanently
                </Button>
              </>
            ) : null}
          </div>
        </div>
        {archived ? (
          <p className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-700">
            This workflow is archived: it can't be run. Jobs that were already running finish.
          </p>
        ) : null}
      </header>

      <WorkflowInputsTable definition={workflow.definition} />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <section
          aria-labelledby="workflow-definition"
          className="min-w-0 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
        >
          <div className="border-b border-slate-200 px-4 py-3 sm:px-5">
            <h2 id="workflow-definition" className="text-sm font-semibold text-slate-900">
              Definition
            </h2>
            {steps.length > 0 ? (
              <ol aria-label="Steps in order" className="mt-2 flex flex-wrap items-center gap-1.5">
                {steps.map((step, index) => (
                  <li key={step.id} className="flex items-center gap-1.5 text-xs">
                    {index > 0 ? (
                      <span aria-hidden className="text-slate-400">
                        →
                      </span>
                    ) : null}
                    <Badge tone="indigo">
                      {step.id}: {step.transformer}
                    </Badge>
                  </li>
                ))}
              </ol>
            ) : null}
          </div>
          <div className="border-b border-slate-200 p-3 sm:p-4">
            <DefinitionCanvas definition={workflow.definition} label="Workflow canvas" />
          </div>
          <pre
            tabIndex={0}
            aria-label="Definition JSON"
            className="max-h-[32rem] overflow-auto px-4 py-3 font-mono text-[13px] leading-5 text-slate-800 sm:px-5"
          >
            {prettyDefinition(workflow.definition)}
          </pre>
        </section>

        <div className="min-w-0 space-y-6">
          <WorkflowUsedBy organisationId={organisation.id} workflowId={workflow.id} />

          <section
            aria-labelledby="workflow-retries"
            className="rounded-xl bg-white px-4 py-4 shadow-xs ring-1 ring-slate-200 sm:px-5"
          >
            <h2 id="workflow-retries" className="text-sm font-semibold text-slate-900">
              Retries
            </h2>
            <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
              {policyRows(workflow.retry_policy).map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-slate-500">{label}</dt>
                  <dd className="text-slate-900">{value}</dd>
                </div>
              ))}
            </dl>
          </section>

          <section
            aria-labelledby="workflow-versions"
            className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
          >
            <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 sm:px-5">
              <h2
                id="workflow-versions"
                className="flex flex-1 items-center gap-2 py-1 text-sm font-semibold text-slate-900"
              >
                <History className="size-4 text-slate-400" aria-hidden />
                Version history
              </h2>
              {versions.data && versions.data.length > 1 ? (
                <Button variant="ghost" size="sm" onClick={() => setComparing(true)}>
                  <GitCompare className="size-4" aria-hidden />
                  Compare
                </Button>
              ) : null}
            </div>
            {versions.isPending ? (
              <div role="status" aria-label="Loading versions" className="space-y-2 p-4">
                <Skeleton className="h-4 w-40" />
                <Skeleton className="h-4 w-56" />
              </div>
            ) : versions.isError ? (
              <ErrorState
                title="Couldn't load the versions"
                message={getErrorMessage(versions.error)}
                onRetry={() => void versions.refetch()}
                isRetrying={versions.isFetching}
                className="py-8"
              />
            ) : (
              <ol aria-label="Versions" className="divide-y divide-slate-100">
                {versions.data.map((version) => (
                  <li key={version.id} className="flex items-start gap-3 px-4 py-3 sm:px-5">
                    <div className="min-w-0 flex-1 text-sm">
                      <p className="font-medium text-slate-900">
                        Version {version.version}
                        {version.version === workflow.version ? (
                          <span className="ml-2 text-xs font-normal text-emerald-700">current</span>
                        ) : null}
                      </p>
                      {version.change_description ? (
                        <p className="text-slate-600">{version.change_description}</p>
                      ) : null}
                      {version.parent_version !== null || version.restored_from !== null ? (
                        <p className="text-xs text-slate-500">
                          {version.parent_version !== null
                            ? `Saved over v${version.parent_version}`
                            : null}
                          {version.parent_version !== null && version.restored_from !== null
                            ? ' · '
                            : null}
                          {version.restored_from !== null
                            ? `Restored from v${version.restored_from}`
                            : null}
                        </p>
                      ) : null}
                      <p className="text-xs text-slate-500">
                        {version.created_by
                          ? (memberNames.get(version.created_by) ?? 'A former member')
                          : 'Unknown'}{' '}
                        ·{' '}
                        <time dateTime={version.created_at}>
                          {formatDateTime(version.created_at)}
                        </time>
                      </p>
                    </div>
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setViewing(version)}
                      aria-label={`View version ${version.version}`}
                    >
                      View
                    </Button>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>

      <WorkflowVersionDialog
        workflow={workflow}
        version={viewing}
        onClose={() => setViewing(null)}
        canManage={canManage}
      />
      <VersionCompareDialog
        workflowName={workflow.name}
        versions={versions.data ?? []}
        open={comparing}
        onClose={() => setComparing(false)}
      />

      <ConfirmDialog
        open={confirmStatus}
        onOpenChange={setConfirmStatus}
        title={archived ? `Restore ${workflow.name}?` : `Archive ${workflow.name}?`}
        description={
          archived
            ? 'It can be run again, by people and by other systems using its key.'
            : 'Nobody can start it any more (people or other systems). Jobs already running finish; its history stays.'
        }
        confirmLabel={archived ? 'Restore' : 'Archive'}
        tone={archived ? 'primary' : 'danger'}
        isPending={setStatus.isPending}
        onConfirm={() =>
          setStatus.mutate({
            organisationId: organisation.id,
            id: workflow.id,
            status: archived ? 'active' : 'archived',
            name: workflow.name,
          })
        }
      />

      <ConfirmDialog
        open={confirmTrash}
        onOpenChange={setConfirmTrash}
        title={`Move ${workflow.name} to the trash?`}
        description="Nobody can see, run or edit it there; its versions and jobs go with it. An owner or admin can restore it from the Trash page for 30 days, then it is deleted for good. A workflow with jobs waiting or running can't be moved."
        confirmLabel="Move to trash"
        isPending={moveToTrash.isPending}
        onConfirm={() =>
          moveToTrash.mutate({
            organisationId: organisation.id,
            id: workflow.id,
            name: workflow.name,
          })
        }
      />

      {canManage ? (
        <DeleteWorkflowDialog
          organisationId={organisation.id}
          workflowId={workflow.id}
          name={workflow.name}
          open={confirmDelete}
          onOpenChange={setConfirmDelete}
          onDeleted={() => {
            setConfirmDelete(false);
            void navigate(paths.app.workflows.getHref());
          }}
        />
      ) : null}
    </div>
  );
}
