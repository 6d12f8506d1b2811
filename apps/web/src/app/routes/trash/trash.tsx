import { TrashList } from '@/features/trash/components/trash-list';
import { useCurrentOrganisation } from '@/lib/organisation';

/** Deleted restaurants and templates, restorable for 30 days. */
export function Component() {
  const organisation = useCurrentOrganisation();
  return (
    <div className="space-y-6">
      <title>{`Trash · ${organisation.name} · Forkflow`}</title>
      <header>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Trash</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Deleted restaurants (with their tasks and sequences) and templates stay here for 30 days,
          then are deleted for good. You see what you may restore: what you created (and the
          restaurants you are the rep of), or everything if you are an owner or admin.
        </p>
      </header>
      <section className="rounded-xl border border-slate-200 bg-white">
        <TrashList organisationId={organisation.id} />
      </section>
    </div>
  );
}
