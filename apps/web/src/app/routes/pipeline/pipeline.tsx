import { useQueryClient } from '@tanstack/react-query';
import { paths } from '@/config/paths';
import { PipelineBoard } from '@/features/pipeline/components/pipeline-board';
import { PipelineFilters } from '@/features/pipeline/components/pipeline-filters';
import { useBoardFilters } from '@/features/pipeline/hooks/use-board-filters';
import { restaurantQueries } from '@/features/restaurants/api/queries';
import { useUser } from '@/lib/auth';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useReps } from '../restaurants/use-reps';

export function Component() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const reps = useReps();
  const queryClient = useQueryClient();
  const { filters, setFilters, hasFilters, clearFilters } = useBoardFilters();

  return (
    <div className="space-y-4">
      <title>{`Pipeline · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Pipeline</h1>
          <p className="mt-1 text-sm text-slate-600">
            Drag a restaurant to another stage, or lift it with Space and move it with the arrow
            keys.
          </p>
        </div>
        <PipelineFilters
          filters={filters}
          setFilters={setFilters}
          hasFilters={hasFilters}
          clearFilters={clearFilters}
          reps={reps}
          currentUserId={user.id}
        />
      </header>
      <PipelineBoard
        organisationId={organisation.id}
        filters={filters}
        reps={reps}
        restaurantHref={paths.app.restaurant.getHref}
        // The list and the restaurant's page show the stage too.
        onMoved={() =>
          void queryClient.invalidateQueries({ queryKey: restaurantQueries.all(organisation.id) })
        }
      />
    </div>
  );
}
