import { useState } from 'react';
import type { TrashItem } from '@/features/trash/api/queries';
import { TrashList } from '@/features/trash/components/trash-list';
import { DeleteWorkflowDialog } from '@/features/workflows/components/delete-workflow-dialog';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';

/** Deleted restaurants and templates, restorable for 30 days. */
export function Component() {
  const organisation = useCurrentOrganisation();
  // A trashed workflow can be deleted for good before its 30 days (owners and admins, who
  // alone see workflows here), through the workflow page's own dialog.
  const [deleting, setDeleting] = useState<TrashItem | null>(null);
  // Kept mounted while closing, so focus goes back to the row's button.
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-6">
      <title>{`Trash · ${organisation.name} · Forkflow`}</title>
      <header>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Trash</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Deleted restaurants (with their tasks and sequences) and templates stay here for 30 days,
          then are deleted for good. You see what you may restore: what you created (and the
          restaurants you are the rep of), or everything if you are an owner or admin. Owners and
          admins can also delete a workflow permanently from here, before its 30 days are up.
        </p>
      </header>
      <section className="rounded-xl border border-slate-200 bg-white">
        <TrashList
          organisationId={organisation.id}
          onDeleteWorkflow={
            canManageWorkflows(organisation.role)
              ? (item) => {
                  setDeleting(item);
                  setOpen(true);
                }
              : undefined
          }
        />
      </section>
      {deleting ? (
        <DeleteWorkflowDialog
          key={deleting.id}
          organisationId={organisation.id}
          workflowId={deleting.id}
          name={deleting.name}
          open={open}
          onOpenChange={setOpen}
          onDeleted={() => setOpen(false)}
        />
      ) : null}
    </div>
  );
}
