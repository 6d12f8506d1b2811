import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { BackLink, LoadFailure } from '@/components/ui/page-states';
import { Skeleton } from '@/components/ui/skeleton';
import { paths } from '@/config/paths';
import { RunButtons } from '@/features/flow-runs/components/run-buttons';
import { RunsList } from '@/features/flow-runs/components/runs-list';
import { flowSequenceQueries } from '@/features/flow-sequences/api/queries';
import { SequenceEditor } from '@/features/flow-sequences/components/sequence-editor';
import { organisationQueries } from '@/features/organisations/api/queries';
import { useUnsavedChangesGuard } from '@/hooks/use-unsaved-changes-guard';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

// /projects/:projectId/sequences/:sequenceId: the sequence editor, its Run buttons and runs.
export function Component() {
  const { projectId = '', sequenceId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const sequence = useQuery(flowSequenceQueries.detail(organisation.id, sequenceId));
  const project = useQuery(flowSequenceQueries.project(organisation.id, projectId));
  const workflows = useQuery(flowSequenceQueries.workflows(organisation.id));
  const lastOutputs = useQuery(flowSequenceQueries.lastOutputs(organisation.id, sequenceId));
  const members = useQuery(organisationQueries.members(organisation.id));
  const memberNames = useMemo(
    () => new Map((members.data ?? []).map((member) => [member.userId, member.fullName])),
    [members.data],
  );
  const memberName = useCallback((id: string) => memberNames.get(id), [memberNames]);
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty);
  const readOnly = !isOrganisationAdmin(organisation.role);

  const title = sequence.data?.name ?? 'Sequence';
  const back = (
    <BackLink to={paths.app.project.getHref(projectId)}>
      {project.data?.project.name ?? 'Project'}
    </BackLink>
  );

  const failed = [sequence, project, workflows].find((query) => query.isError && !query.data);
  let body;
  if (failed) {
    body = (
      <LoadFailure
        query={failed}
        notFoundTitle="Sequence not found"
        errorTitle="Couldn't load this sequence"
      />
    );
  } else if (!sequence.data || !project.data || !workflows.data) {
    body = (
      <div role="status" aria-label="Loading sequence" className="space-y-4">
        <Skeleton className="h-10 w-80 max-w-full" />
        <Skeleton className="h-64" />
      </div>
    );
  } else {
    const data = sequence.data;
    body = (
      <>
        <SequenceEditor
          // A save (or a reload after a conflict) starts the editor again from the saved row.
          key={`${data.id}@${data.updated_at}`}
          sequence={data}
          project={project.data.project}
          environment={project.data.environment}
          workflows={workflows.data}
          lastOutputs={lastOutputs.data ?? {}}
          readOnly={readOnly}
          onDirtyChange={setDirty}
          onReloadLatest={() => void sequence.refetch()}
          actions={({ dirty: unsaved }) => (
            <RunButtons
              sequenceId={data.id}
              disabledReason={unsaved ? 'Save to run the latest version' : null}
            />
          )}
        />
        <RunsList sequenceId={data.id} memberName={memberName} />
      </>
    );
  }

  return (
    <div className="space-y-6">
      <title>{`${title} · ${organisation.name} · Forkflow`}</title>
      <header className="space-y-3">
        {back}
        <div>
          <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
            {title}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            A flow sequence of {project.data?.project.name ?? 'this project'}
            {project.data?.environment
              ? `, running against ${project.data.environment.name}`
              : ', with no environment linked'}
            .
          </p>
        </div>
      </header>
      {body}
      <ConfirmDialog
        open={guard.isBlocked}
        onOpenChange={(open) => (open ? undefined : guard.stay())}
        title="Discard unsaved changes?"
        description="Your changes to this sequence haven't been saved. If you leave now, they're lost."
        confirmLabel="Discard changes"
        onConfirm={guard.leave}
      />
    </div>
  );
}
