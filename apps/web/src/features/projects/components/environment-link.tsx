import { ArrowRightLeft, Layers } from 'lucide-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useSetProjectEnvironment } from '../api/set-project-environment';
import type { LinkedEnvironment, Project } from '../api/queries';

/** Beyond this many the quick buttons would crowd the header: the select alone does it. */
const MAX_QUICK_SWITCHES = 3;

/**
 * The project's environment: a select of the organisation's, and a button for each other one
 * so staging ↔ production is one click. The change shows at once and is put back if refused.
 */
export function EnvironmentLink({
  organisationId,
  project,
  environments,
  canManage,
}: {
  organisationId: string;
  project: Project;
  /** Undefined while they load. */
  environments: LinkedEnvironment[] | undefined;
  canManage: boolean;
}) {
  const id = useId();
  const { toast } = useToast();
  const link = useSetProjectEnvironment({
    organisationId,
    mutationConfig: {
      onError: (error) =>
        toast({
          title: 'The environment wasn’t changed',
          description: getErrorMessage(error),
          tone: 'error',
        }),
    },
  });
  const current = environments?.find((environment) => environment.id === project.environment_id);
  const others = (environments ?? []).filter(
    (environment) => environment.id !== project.environment_id,
  );
  const change = (environmentId: string | null) =>
    link.mutate({ organisationId, projectId: project.id, environmentId });

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="space-y-3 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div className="flex items-center gap-2">
        <Layers className="size-4 text-slate-500" aria-hidden />
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
          Environment
        </h2>
      </div>
      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
        <div className="min-w-0 space-y-1.5 sm:w-64">
          <label htmlFor={id} className="block text-sm font-medium text-slate-800">
            Linked environment
          </label>
          <Select
            id={id}
            value={project.environment_id ?? ''}
            disabled={!canManage || !environments}
            aria-busy={link.isPending || undefined}
            onChange={(event) => change(event.target.value || null)}
          >
            <option value="">{environments ? 'None' : 'Loading…'}</option>
            {(environments ?? []).map((environment) => (
              <option key={environment.id} value={environment.id}>
                {environment.name}
              </option>
            ))}
            {project.environment_id && environments && !current ? (
              <option value={project.environment_id}>An environment you can’t see</option>
            ) : null}
          </Select>
        </div>
        {canManage && others.length > 0 && others.length <= MAX_QUICK_SWITCHES ? (
          <div className="flex flex-wrap gap-2">
            {others.map((environment) => (
              <Button
                key={environment.id}
                variant="secondary"
                onClick={() => change(environment.id)}
              >
                <ArrowRightLeft className="size-4" aria-hidden />
                Switch to {environment.name}
              </Button>
            ))}
          </div>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">
        {current ? (
          <>
            Runs use{' '}
            <Link
              to={paths.app.environment.getHref(current.id)}
              className="font-medium text-brand-700 hover:underline"
            >
              {current.name}
            </Link>
            ’s variables and API hosts.
          </>
        ) : environments && environments.length === 0 ? (
          <>
            The organisation has no environments yet:{' '}
            <Link
              to={paths.app.environments.getHref()}
              className="font-medium text-brand-700 hover:underline"
            >
              create staging and production
            </Link>
            .
          </>
        ) : (
          'No environment: variables that read one have no value when a sequence runs.'
        )}
      </p>
    </section>
  );
}
