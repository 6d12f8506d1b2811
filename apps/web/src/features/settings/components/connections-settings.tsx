import { MAX_CONNECTIONS } from '@forkflow/domain/connections';
import { useQuery } from '@tanstack/react-query';
import { Globe, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field, Input } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { addConnectionInputSchema, useAddConnection } from '../api/add-connection';
import { connectionQueries, type Connection } from '../api/connections-queries';
import { useRemoveConnection } from '../api/remove-connection';

type Props = { organisationId: string; canEdit: boolean };

/**
 * Settings → Connections: the hosts this organisation's http-request steps may call. A job
 * refused with host_not_allowed links here, so an owner fixes it in the app.
 */
export function ConnectionsSettings({ organisationId, canEdit }: Props) {
  const query = useQuery(connectionQueries.list(organisationId));
  const [removing, setRemoving] = useState<Connection | null>(null);
  const { toast } = useToast();
  const add = useAddConnection({ organisationId });
  const remove = useRemoveConnection({
    organisationId,
    mutationConfig: {
      onSuccess: (removed) => {
        setRemoving(null);
        toast({
          title: `Removed ${removed.host}`,
          description: 'Steps calling it now fail until it is added again.',
          action: {
            label: 'Undo',
            onClick: () =>
              add.mutate({
                organisationId,
                data: { host: removed.host, description: removed.description },
              }),
          },
        });
      },
    },
  });

  return (
    <div className="space-y-6">
      {canEdit ? (
        <AddConnectionForm
          organisationId={organisationId}
          full={(query.data?.length ?? 0) >= MAX_CONNECTIONS}
        />
      ) : (
        <p className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-700">
          Only owners and admins can change connections. You can see them here.
        </p>
      )}

      <section
        aria-labelledby="connections-heading"
        className="rounded-xl bg-white ring-1 ring-slate-200"
      >
        <h2 id="connections-heading" className="sr-only">
          Connections
        </h2>
        {query.isPending ? (
          <div role="status" aria-label="Loading connections" className="space-y-3 p-4">
            <Skeleton className="h-5 w-64" />
            <Skeleton className="h-5 w-52" />
          </div>
        ) : query.isError ? (
          <ErrorState
            title="Couldn't load the connections"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
          />
        ) : query.data.length === 0 ? (
          <EmptyState
            icon={<Globe className="size-6" aria-hidden />}
            title="No connections yet"
            description="http-request steps can call no host until one is added here."
          />
        ) : (
          <ul className="divide-y divide-slate-100">
            {query.data.map((connection) => (
              <li key={connection.id} className="flex items-center gap-4 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <p className="font-mono text-sm text-slate-900">{connection.host}</p>
                  {connection.description ? (
                    <p className="text-sm text-slate-600">{connection.description}</p>
                  ) : null}
                </div>
                {canEdit ? (
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => setRemoving(connection)}
                    aria-label={`Remove ${connection.host}`}
                  >
                    <Trash2 className="size-4" aria-hidden />
                    Remove
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) setRemoving(null);
        }}
        title={`Remove ${removing?.host ?? 'this connection'}?`}
        description={
          <div className="space-y-2">
            <p>
              http-request steps calling it will fail with “host not allowed” until it is added
              again.
            </p>
            {remove.error ? (
              <p role="alert" className="text-red-700">
                {getErrorMessage(remove.error)}
              </p>
            ) : null}
          </div>
        }
        confirmLabel="Remove connection"
        isPending={remove.isPending}
        onConfirm={() => {
          if (removing) remove.mutate({ organisationId, connection: removing });
        }}
      />
    </div>
  );
}

function AddConnectionForm({ organisationId, full }: { organisationId: string; full: boolean }) {
  const [host, setHost] = useState('');
  const [description, setDescription] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const { toast } = useToast();
  const add = useAddConnection({
    organisationId,
    mutationConfig: {
      onSuccess: (connection) => {
        setHost('');
        setDescription('');
        setSubmitted(false);
        toast({ title: `Added ${connection.host}`, tone: 'success' });
      },
    },
  });
  const parsed = addConnectionInputSchema.safeParse({ host, description });
  const issues = parsed.success ? [] : parsed.error.issues;
  const hostError = submitted ? issues.find((i) => i.path[0] === 'host')?.message : undefined;
  const descriptionError = submitted
    ? issues.find((i) => i.path[0] === 'description')?.message
    : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!parsed.success || full) return;
    add.mutate({ organisationId, data: { host, description } });
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="add-connection-heading"
      className="space-y-4 rounded-xl bg-white p-4 ring-1 ring-slate-200"
    >
      <h2 id="add-connection-heading" className="text-base font-semibold text-slate-900">
        Add a connection
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Host"
          required
          error={hostError}
          hint="A host name such as api.crm.com, or *.crm.com for its subdomains. No https://, port or path."
        >
          {(control) => (
            <Input
              {...control}
              value={host}
              onChange={(event) => setHost(event.target.value)}
              placeholder="api.crm.com"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Field label="Description" error={descriptionError}>
          {(control) => (
            <Input
              {...control}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
              placeholder="Our CRM's webhooks"
            />
          )}
        </Field>
      </div>
      {add.error ? (
        <p role="alert" className="text-sm text-red-700">
          {getErrorMessage(add.error)}
        </p>
      ) : null}
      {full ? (
        <p className="text-sm text-amber-800">
          This organisation has {MAX_CONNECTIONS} connections, the most it may have: remove one, or
          use a wildcard.
        </p>
      ) : null}
      <Button type="submit" isLoading={add.isPending} disabled={full}>
        Add connection
      </Button>
    </form>
  );
}
