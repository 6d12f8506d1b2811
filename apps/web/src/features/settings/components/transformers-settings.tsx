import { parseConfigSchema } from '@forkflow/domain/step-config';
import { useQuery } from '@tanstack/react-query';
import { Blocks, Plus } from 'lucide-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select, Textarea } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import {
  saveTransformerInputSchema,
  useSaveTransformer,
  type SaveTransformerInput,
} from '../api/save-transformer';
import { useSetTransformerRetired } from '../api/set-transformer-retired';
import { transformerQueries, type TransformerRow } from '../api/transformers-queries';

/** Starting points for a new transformer: a built-in type with config filled in. */
export const TRANSFORMER_PRESETS = [
  {
    key: 'blank',
    name: 'Blank',
    type: '',
    id: '',
    description: '',
    config: {},
  },
  {
    key: 'crm-webhook',
    name: 'CRM webhook',
    type: 'http',
    id: 'crm-webhook',
    description: "Posts a step's body to our CRM's webhook as JSON.",
    config: {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer <token>' },
    },
  },
] as const;

type Props = {
  organisationId: string;
  canEdit: boolean;
  /** What uses a transformer (the workflows feature's list), composed in by the route. */
  renderUsedBy?: (transformerId: string) => ReactNode;
};

/** Settings → Transformers: the built-ins, and the organisation's own made from their types. */
export function TransformersSettings({ organisationId, canEdit, renderUsedBy }: Props) {
  const query = useQuery(transformerQueries.list(organisationId));
  const [editing, setEditing] = useState<TransformerRow | 'new' | null>(null);
  const [retiring, setRetiring] = useState<TransformerRow | null>(null);
  const { toast } = useToast();
  const retire = useSetTransformerRetired({
    organisationId,
    mutationConfig: {
      onSuccess: (row) => {
        setRetiring(null);
        toast({
          title: row.retired_at ? `Retired ${row.id}` : `Restored ${row.id}`,
          tone: 'success',
        });
      },
    },
  });

  if (query.isPending)
    return (
      <div role="status" aria-label="Loading transformers" className="space-y-3">
        <Skeleton className="h-24 w-full" />
        <Skeleton className="h-24 w-full" />
      </div>
    );
  if (query.isError)
    return (
      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        <ErrorState
          title="Couldn't load the transformers"
          message={getErrorMessage(query.error)}
          onRetry={() => void query.refetch()}
          isRetrying={query.isFetching}
        />
      </div>
    );

  const builtIns = query.data.filter((t) => t.organisation_id === null);
  const own = query.data.filter((t) => t.organisation_id !== null);

  return (
    <div className="space-y-8">
      <section aria-labelledby="own-transformers" className="space-y-3">
        <div className="flex items-center justify-between gap-4">
          <h2 id="own-transformers" className="text-base font-semibold text-slate-900">
            This organisation’s transformers
          </h2>
          {canEdit ? (
            <Button onClick={() => setEditing('new')}>
              <Plus className="size-4" aria-hidden />
              New transformer
            </Button>
          ) : null}
        </div>
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          {own.length === 0 ? (
            <EmptyState
              icon={<Blocks className="size-6" aria-hidden />}
              title="None yet"
              description="Make one from a built-in type with your own settings — a webhook to your CRM, say."
            />
          ) : (
            <ul className="divide-y divide-slate-100">
              {own.map((row) => (
                <li key={row.id} className="space-y-2 px-4 py-3">
                  <div className="flex flex-wrap items-center gap-3">
                    <p className="font-mono text-sm font-medium text-slate-900">{row.id}</p>
                    <Badge tone="slate">{row.type}</Badge>
                    {row.retired_at ? <Badge tone="amber">Retired</Badge> : null}
                    <div className="ml-auto flex gap-2">
                      {canEdit ? (
                        <>
                          <Button
                            variant="secondary"
                            size="sm"
                            onClick={() => setEditing(row)}
                            aria-label={`Edit ${row.id}`}
                          >
                            Edit
                          </Button>
                          {row.retired_at ? (
                            <Button
                              variant="secondary"
                              size="sm"
                              isLoading={retire.isPending && retire.variables?.id === row.id}
                              onClick={() =>
                                retire.mutate({ organisationId, id: row.id, retired: false })
                              }
                              aria-label={`Restore ${row.id}`}
                            >
                              Restore
                            </Button>
                          ) : (
                            <Button
                              variant="secondary-danger"
                              size="sm"
                              onClick={() => setRetiring(row)}
                              aria-label={`Retire ${row.id}`}
                            >
                              Retire
                            </Button>
                          )}
                        </>
                      ) : null}
                    </div>
                  </div>
                  {row.description ? (
                    <p className="text-sm text-slate-600">{row.description}</p>
                  ) : null}
                  {renderUsedBy ? (
                    <details className="text-sm">
                      <summary className="cursor-pointer text-slate-700">Used by</summary>
                      {renderUsedBy(row.id)}
                    </details>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <section aria-labelledby="builtin-transformers" className="space-y-3">
        <h2 id="builtin-transformers" className="text-base font-semibold text-slate-900">
          Built-in
        </h2>
        <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200">
          {builtIns.map((row) => (
            <li key={row.id} className="px-4 py-3">
              <div className="flex items-center gap-3">
                <p className="font-mono text-sm font-medium text-slate-900">{row.id}</p>
                <Badge tone="slate">{row.type}</Badge>
              </div>
              {row.description ? (
                <p className="mt-1 text-sm text-slate-600">{row.description}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {editing !== null ? (
        <TransformerFormDialog
          organisationId={organisationId}
          builtIns={builtIns}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}

      <ConfirmDialog
        open={retiring !== null}
        onOpenChange={(open) => {
          if (!open) setRetiring(null);
        }}
        title={`Retire ${retiring?.id ?? 'this transformer'}?`}
        description={
          <div className="space-y-2">
            <p>
              Workflows that use it keep running it, but no new step can choose it. You can restore
              it later.
            </p>
            {retire.error ? (
              <p role="alert" className="text-red-700">
                {getErrorMessage(retire.error)}
              </p>
            ) : null}
          </div>
        }
        confirmLabel="Retire transformer"
        isPending={retire.isPending}
        onConfirm={() => {
          if (retiring) retire.mutate({ organisationId, id: retiring.id, retired: true });
        }}
      />
    </div>
  );
}

function TransformerFormDialog({
  organisationId,
  builtIns,
  editing,
  onClose,
}: {
  organisationId: string;
  builtIns: TransformerRow[];
  editing: TransformerRow | null;
  onClose: () => void;
}) {
  const types = [...new Set(builtIns.map((t) => t.type))];
  const { toast } = useToast();
  const [preset, setPreset] = useState('blank');
  const [values, setValues] = useState<SaveTransformerInput>(() =>
    editing
      ? {
          id: editing.id,
          type: editing.type,
          description: editing.description ?? '',
          config: JSON.stringify(editing.config ?? {}, null, 2),
          timeoutMs: editing.timeout_ms,
        }
      : { id: '', type: types[0] ?? '', description: '', config: '{}', timeoutMs: 30000 },
  );
  const [submitted, setSubmitted] = useState(false);
  const save = useSaveTransformer({
    organisationId,
    mutationConfig: {
      onSuccess: (row) => {
        toast({ title: editing ? `Saved ${row.id}` : `Created ${row.id}`, tone: 'success' });
        onClose();
      },
    },
  });
  const parsed = saveTransformerInputSchema.safeParse(values);
  // What the type's executor reads: the fields a preset may set (checked on save).
  const fields = parseConfigSchema(
    builtIns.find((t) => t.type === values.type)?.config_schema,
  ).fields;
  const errorOf = (field: keyof SaveTransformerInput) =>
    parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === field)?.message;
  // The config is checked as it is typed; the other fields once the form is submitted.
  const shown = (field: keyof SaveTransformerInput) =>
    field === 'config' || submitted ? errorOf(field) : undefined;
  const set = (field: keyof SaveTransformerInput) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));

  const applyPreset = (key: string) => {
    setPreset(key);
    const chosen = TRANSFORMER_PRESETS.find((p) => p.key === key);
    if (!chosen || chosen.key === 'blank') return;
    setValues((current) => ({
      ...current,
      type: chosen.type,
      id: current.id || chosen.id,
      description: current.description || chosen.description,
      config: JSON.stringify(chosen.config, null, 2),
    }));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!parsed.success) return;
    save.mutate({ organisationId, data: values });
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={editing ? `Edit ${editing.id}` : 'New transformer'}
      description="It runs the executor of the built-in of its type, with this config under each step's own."
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {editing ? null : (
          <Field label="Start from" hint="A preset fills in the type and config.">
            {(control) => (
              <Select
                {...control}
                value={preset}
                onChange={(event) => applyPreset(event.target.value)}
              >
                {TRANSFORMER_PRESETS.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Id" required error={shown('id')} hint="Steps name it by this id.">
            {(control) => (
              <Input
                {...control}
                value={values.id}
                readOnly={editing !== null}
                onChange={(event) => set('id')(event.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          <Field label="Type" required error={shown('type')}>
            {(control) => (
              <Select
                {...control}
                value={values.type}
                onChange={(event) => set('type')(event.target.value)}
              >
                {types.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Field label="Description" error={shown('description')}>
          {(control) => (
            <Input
              {...control}
              value={values.description}
              onChange={(event) => set('description')(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="Config (JSON)"
          error={shown('config')}
          hint={
            <>
              Defaults every step using it gets; a step&apos;s own config wins.
              {fields.length > 0 ? (
                <>
                  {' '}
                  Type {values.type} reads:{' '}
                  {fields
                    .map(
                      (field) =>
                        `${field.name} (${field.type}${field.enum ? `: ${field.enum.join(', ')}` : ''})`,
                    )
                    .join('; ')}
                  .
                </>
              ) : null}
            </>
          }
        >
          {(control) => (
            <Textarea
              {...control}
              rows={8}
              className="font-mono text-sm"
              value={values.config}
              onChange={(event) => set('config')(event.target.value)}
              spellCheck={false}
            />
          )}
        </Field>
        <Field label="Timeout (ms)" required error={shown('timeoutMs')}>
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="numeric"
              value={String(values.timeoutMs)}
              onChange={(event) => set('timeoutMs')(event.target.value)}
            />
          )}
        </Field>
        {save.error ? (
          <p role="alert" className="text-sm text-red-700">
            {getErrorMessage(save.error)}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" isLoading={save.isPending}>
            {editing ? 'Save transformer' : 'Create transformer'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
