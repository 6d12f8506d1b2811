import { useQuery } from '@tanstack/react-query';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { getErrorMessage } from '@/lib/errors';
import { useDeleteEnvironment } from '../api/delete-environment';
import { environmentQueries, type Environment } from '../api/queries';

/** Asks before deleting, naming the projects that would lose their environment. */
export function DeleteEnvironmentDialog({
  organisationId,
  environment,
  open,
  onOpenChange,
  onDeleted,
}: {
  organisationId: string;
  environment: Environment;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted: () => void;
}) {
  const projects = useQuery({
    ...environmentQueries.projects(organisationId, environment.id),
    enabled: open,
  });
  const remove = useDeleteEnvironment({
    organisationId,
    mutationConfig: { onSuccess: onDeleted },
  });
  const names = projects.data?.map((project) => project.name) ?? [];

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        if (!next) remove.reset();
        onOpenChange(next);
      }}
      title={`Delete ${environment.name}?`}
      description={
        <div className="space-y-2">
          <p>Its variables, secrets and API hosts are deleted. This can’t be undone.</p>
          {projects.isPending ? (
            <p>Checking which projects use it…</p>
          ) : projects.isError ? (
            <p>Couldn’t check which projects use it: {getErrorMessage(projects.error)}</p>
          ) : names.length === 0 ? (
            <p>No project uses it.</p>
          ) : (
            <>
              <p>
                {names.length === 1 ? 'This project uses it' : 'These projects use it'} and will be
                left without an environment:
              </p>
              <ul aria-label="Projects using it" className="list-disc pl-5">
                {names.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            </>
          )}
          {remove.error ? (
            <p role="alert" className="text-red-700">
              {getErrorMessage(remove.error)}
            </p>
          ) : null}
        </div>
      }
      confirmLabel="Delete environment"
      onConfirm={() => remove.mutate({ organisationId, id: environment.id })}
      isPending={remove.isPending}
    />
  );
}
