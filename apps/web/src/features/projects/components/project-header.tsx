import { Archive, ArchiveRestore } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useSetProjectStatus } from '../api/set-project-status';
import type { Project } from '../api/queries';
import { ProjectStatusBadge } from './projects-list';

/** Name, slug and status; owners and admins archive or restore the project here. */
export function ProjectHeader({
  organisationId,
  project,
  canManage,
}: {
  organisationId: string;
  project: Project;
  canManage: boolean;
}) {
  const { toast } = useToast();
  const setStatus = useSetProjectStatus({
    organisationId,
    mutationConfig: {
      onSuccess: ({ project: saved }) =>
        toast({ title: saved.status === 'archived' ? 'Project archived' : 'Project restored' }),
      onError: (error) =>
        toast({ title: 'Nothing changed', description: getErrorMessage(error), tone: 'error' }),
    },
  });
  const archived = project.status === 'archived';
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
            {project.name}
          </h1>
          <ProjectStatusBadge status={project.status} />
        </div>
        <p className="mt-1 font-mono text-sm text-slate-500">{project.slug}</p>
        {project.description ? (
          <p className="mt-1 max-w-prose text-sm text-slate-600">{project.description}</p>
        ) : null}
      </div>
      {canManage ? (
        <Button
          variant="secondary"
          isLoading={setStatus.isPending}
          onClick={() => setStatus.mutate({ project, status: archived ? 'active' : 'archived' })}
        >
          {archived ? (
            <ArchiveRestore className="size-4" aria-hidden />
          ) : (
            <Archive className="size-4" aria-hidden />
          )}
          {archived ? 'Restore' : 'Archive'}
        </Button>
      ) : null}
    </div>
  );
}
