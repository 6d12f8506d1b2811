import { useQuery } from '@tanstack/react-query';
import { Layers } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { environmentQueries } from '../api/queries';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The organisation's environments: name, how many variables, and their API hosts. */
export function EnvironmentsList({
  organisationId,
  canManage,
  emptyAction,
}: {
  organisationId: string;
  canManage: boolean;
  /** What an owner/admin is offered when there are none (create staging and production). */
  emptyAction?: ReactNode;
}) {
  const query = useQuery(environmentQueries.list(organisationId));

  if (query.isPending) {
    return (
      <div role="status" aria-label="Loading environments" className="divide-y divide-slate-100">
        {Array.from({ length: 2 }, (_, index) => (
          <div key={index} className="space-y-2 px-5 py-5">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-3 w-64 max-w-full" />
          </div>
        ))}
      </div>
    );
  }
  if (!query.data) {
    return (
      <ErrorState
        title="Couldn't load environments"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }
  if (query.data.length === 0) {
    return (
      <EmptyState
        icon={<Layers className="size-6" aria-hidden />}
        title="No environments yet"
        description={
          canManage
            ? 'Create staging and production: each holds the variables (secrets too) and API hosts a project runs with, and a project switches between them in one click.'
            : 'An owner or admin creates the environments (staging, production) projects run with.'
        }
        action={canManage ? emptyAction : undefined}
      />
    );
  }

  return (
    <ul aria-label="Environments" className="divide-y divide-slate-100">
      {query.data.map((environment) => {
        const hosts = Object.entries(environment.api_hosts);
        const secrets = environment.variables.filter((variable) => variable.secret).length;
        return (
          <li
            key={environment.id}
            className="relative flex flex-col gap-1 px-4 py-4 hover:bg-slate-50/60 sm:px-5"
          >
            <Link
              to={paths.app.environment.getHref(environment.id)}
              className="font-medium break-words text-slate-900 after:absolute after:inset-0 hover:text-brand-700 focus-visible:underline focus-visible:outline-none"
            >
              {environment.name}
            </Link>
            <p className="text-xs text-slate-500">
              {plural(environment.variables.length, 'variable', 'variables')}
              {secrets > 0 ? ` (${plural(secrets, 'secret', 'secrets')})` : ''} ·{' '}
              {plural(hosts.length, 'API host', 'API hosts')}
            </p>
            {hosts.length > 0 ? (
              <ul aria-label={`API hosts of ${environment.name}`} className="mt-1 space-y-0.5">
                {hosts.map(([name, url]) => (
                  <li key={name} className="truncate font-mono text-xs text-slate-600">
                    {name} → {url}
                  </li>
                ))}
              </ul>
            ) : null}
            {environment.description ? (
              <p className="line-clamp-2 text-sm text-slate-600">{environment.description}</p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
