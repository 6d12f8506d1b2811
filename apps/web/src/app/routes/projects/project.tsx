import { useQuery } from '@tanstack/react-query';
import { useCallback, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { environmentQueries } from '@/features/environments/api/queries';
import { projectQueries, type Project } from '@/features/projects/api/queries';
import {
  projectFieldFor,
  toProjectFormValues,
  useSaveProject,
  type ProjectFormValues,
} from '@/features/projects/api/save-project';
import { EnvironmentLink } from '@/features/projects/components/environment-link';
import { ProjectHeader } from '@/features/projects/components/project-header';
import { ProjectSequences } from '@/features/projects/components/project-sequences';
import { ProjectSettingsForm } from '@/features/projects/components/project-settings-form';
import { workflowQueries } from '@/features/workflows/api/queries';
import { useUnsavedChangesGuard } from '@/hooks/use-unsaved-changes-guard';
import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';
import { describeServerProblem } from '@/lib/field-errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

type PageFilters = { page: number };
const pageDefaults: FilterDefaults<PageFilters> = { page: 1 };
const parsePage = (params: URLSearchParams): PageFilters => {
  const page = Number(params.get('page') ?? '1');
  return { page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1 };
};

export function Component() {
  const { projectId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const project = useQuery(projectQueries.detail(organisation.id, projectId));
  const back = <BackLink to={paths.app.projects.getHref()}>Projects</BackLink>;

  if (!project.data) {
    return (
      <DetailPlaceholder
        back={back}
        query={project}
        label="Loading project"
        notFoundTitle="Project not found"
        errorTitle="Couldn't load this project"
      >
        <Skeleton className="h-8 w-64 max-w-full" />
        <Skeleton className="h-24" />
        <Skeleton className="h-64" />
      </DetailPlaceholder>
    );
  }
  return <ProjectPage project={project.data} back={back} />;
}

function ProjectPage({ project, back }: { project: Project; back: ReactNode }) {
  const organisation = useCurrentOrganisation();
  const canManage = isOrganisationAdmin(organisation.role);
  const environments = useQuery(environmentQueries.list(organisation.id));
  const workflows = useQuery(workflowQueries.list(organisation.id));
  const linked =
    environments.data?.find((environment) => environment.id === project.environment_id) ?? null;
  const { filters, setFilters } = useUrlFilters({ parse: parsePage, defaults: pageDefaults });
  const onPageChange = useCallback((page: number) => setFilters({ page }), [setFilters]);
  // The form remounts after its own save (with what the server stored), not when the project
  // changes under it (an environment switch), which would throw away what is being typed.
  const [formVersion, setFormVersion] = useState(0);
  const [warnings, setWarnings] = useState<string[]>([]);

  return (
    <div className="space-y-6">
      <title>{`${project.name} · Projects · ${organisation.name} · Forkflow`}</title>
      <header className="space-y-3">
        {back}
        <ProjectHeader organisationId={organisation.id} project={project} canManage={canManage} />
      </header>
      <EnvironmentLink
        organisationId={organisation.id}
        project={project}
        environments={environments.data}
        canManage={canManage}
      />
      <ProjectSequences
        organisationId={organisation.id}
        projectId={project.id}
        canManage={canManage}
        page={filters.page}
        onPageChange={onPageChange}
      />
      <ProjectSettings
        key={`${project.id}#${formVersion}`}
        project={project}
        environment={linked}
        workflows={workflows.data}
        canManage={canManage}
        warnings={warnings}
        onSaved={(saved) => {
          setWarnings(saved);
          setFormVersion((version) => version + 1);
        }}
      />
    </div>
  );
}

/**
 * The workflows to save: what the form shows, plus what the server added since the form was
 * filled (saving a sequence adds its workflows), minus what the user removed here.
 */
function mergeWorkflowIds(
  loaded: ProjectFormValues,
  edited: ProjectFormValues,
  latest: Project,
): string[] {
  const removed = new Set(loaded.workflow_ids.filter((id) => !edited.workflow_ids.includes(id)));
  const added = latest.workflow_ids.filter(
    (id) => !removed.has(id) && !edited.workflow_ids.includes(id),
  );
  return [...edited.workflow_ids, ...added];
}

function ProjectSettings({
  project,
  environment,
  workflows,
  canManage,
  warnings,
  onSaved,
}: {
  project: Project;
  environment: Parameters<typeof ProjectSettingsForm>[0]['environment'];
  workflows: Parameters<typeof ProjectSettingsForm>[0]['workflows'];
  canManage: boolean;
  warnings: string[];
  /** With the save's warnings. */
  onSaved: (warnings: string[]) => void;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty);
  const [defaultValues] = useState(() => toProjectFormValues(project));
  const save = useSaveProject({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (saved) => {
        toast({ title: 'Project saved', description: saved.project.name });
        onSaved(saved.warnings);
      },
    },
  });
  const submitted = save.variables?.data;
  return (
    <>
      <ProjectSettingsForm
        defaultValues={defaultValues}
        environment={environment}
        workflows={workflows}
        readOnly={!canManage}
        warnings={warnings}
        isPending={save.isPending}
        serverProblem={
          save.error && submitted
            ? describeServerProblem(
                save.error,
                "The project wasn't saved",
                projectFieldFor(submitted),
                { slug_taken: 'slug' },
              )
            : null
        }
        onDirtyChange={setDirty}
        onSubmit={(data) =>
          save.mutate({
            organisationId: organisation.id,
            project,
            data: { ...data, workflow_ids: mergeWorkflowIds(defaultValues, data, project) },
          })
        }
      />
      <ConfirmDialog
        open={guard.isBlocked}
        onOpenChange={(open) => (open ? undefined : guard.stay())}
        title="Discard unsaved changes?"
        description="Your changes to this project haven't been saved. If you leave now, they're lost."
        confirmLabel="Discard changes"
        onConfirm={guard.leave}
      />
    </>
  );
}
