import { BackLink } from '@/components/ui/page-states';
import { paths } from '@/config/paths';
import { RestaurantImport } from '@/features/restaurants/import/components/restaurant-import';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useReps } from './use-reps';

export function Component() {
  const organisation = useCurrentOrganisation();
  const reps = useReps();
  return (
    <div className="space-y-6">
      <title>{`Import restaurants · ${organisation.name} · Forkflow`}</title>
      <BackLink to={paths.app.restaurants.getHref()}>Restaurants</BackLink>
      <header>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Import restaurants</h1>
        <p className="mt-1 text-sm text-slate-600">
          From a CSV file: match its columns, check the rows, then import them into{' '}
          {organisation.name}.
        </p>
      </header>
      <div className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 sm:p-6">
        <RestaurantImport reps={reps} listHref={paths.app.restaurants.getHref()} />
      </div>
    </div>
  );
}
