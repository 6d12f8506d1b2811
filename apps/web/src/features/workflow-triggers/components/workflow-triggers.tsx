import { useQuery } from '@tanstack/react-query';
import { CalendarClock, Pencil, Plus, RefreshCw, Trash2, Webhook, Zap } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { Switch } from '@/components/ui/switch';
import { useToast } from '@/components/ui/toast';
import { env } from '@/config/env';
import { paths } from '@/config/paths';
import { useNow } from '@/hooks/use-now';
import { getErrorMessage } from '@/lib/errors';
import {
  formatDateTimeInZone,
  formatDayMonthInZone,
  formatTimeInZone,
  getDisplayTimeZone,
} from '@/lib/format-in-zone';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useDeleteTrigger } from '../api/delete-trigger';
import {
  triggerKindLabels,
  triggerQueries,
  type TriggerFiring,
  type TriggerKind,
  type WorkflowTrigger,
} from '../api/queries';
import { useRotateWebhookSecret } from '../api/rotate-webhook-secret';
import { triggerFormValues, useSaveTrigger } from '../api/save-trigger';
import { useSetTriggerEnabled } from '../api/set-trigger-enabled';
import { nextCronTimes } from '../utils/cron';
import { describeTrigger, firingReason, firingStatusLabels, webhookUrl } from '../utils/describe';
import { CopyButton } from './copy-button';
import { TriggerDialog } from './trigger-dialog';
import { WebhookSecretDialog } from './webhook-secret-dialog';

/** While a trigger is on, new firings show within this (a schedule fires at most each minute). */
export const TRIGGERS_REFRESH_MS = 5_000;

const kindIcons: Record<TriggerKind, ReactNode> = {
  schedule: <CalendarClock className="size-3.5" aria-hidden />,
  event: <Zap className="size-3.5" aria-hidden />,
  webhook: <Webhook className="size-3.5" aria-hidden />,
};

const firingTones: Record<string, BadgeTone> = {
  started: 'emerald',
  filtered_out: 'slate',
  failed: 'red',
};

type Reveal = { name: string; url: string; secret: string; rotated: boolean };

/**
 * The workflow page's Triggers section (issue 14 §3): each trigger in words with its last
 * firings; owners and admins add, edit, switch off and delete them (members only read).
 */
export function WorkflowTriggers({
  workflowId,
  canManage,
  archived = false,
}: {
  workflowId: string;
  canManage: boolean;
  /** An archived workflow's triggers fire into failures: say so. */
  archived?: boolean;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const triggers = useQuery({
    ...triggerQueries.list(organisation.id, workflowId),
    refetchInterval: (query) =>
      query.state.data?.some((trigger) => trigger.enabled) ? TRIGGERS_REFRESH_MS : false,
  });
  const [editing, setEditing] = useState<WorkflowTrigger | 'new' | null>(null);
  const [deleting, setDeleting] = useState<WorkflowTrigger | null>(null);
  const [rotating, setRotating] = useState<WorkflowTrigger | null>(null);
  const [reveal, setReveal] = useState<Reveal | null>(null);
  // "Started by" on a job links to /workflows/<id>#triggers: bring the section into view
  // once it has its rows (the router does not scroll to a hash).
  const { hash } = useLocation();
  const sectionRef = useRef<HTMLElement>(null);
  const loaded = triggers.isSuccess;
  useEffect(() => {
    if (hash === '#triggers' && loaded) sectionRef.current?.scrollIntoView?.({ block: 'start' });
  }, [hash, loaded]);

  const restore = useSaveTrigger({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: () => toast({ title: 'Trigger restored' }),
      onError: (error) =>
        toast({
          tone: 'error',
          title: "Couldn't restore the trigger",
          description: getErrorMessage(error),
        }),
    },
  });
  const remove = useDeleteTrigger({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_result, { name }) => {
        const gone = deleting;
        setDeleting(null);
        // A schedule or an event trigger comes back as it was (its firings do not); a
        // webhook cannot, since its URL and secret would change, so it gets no Undo.
        const undo =
          gone && gone.kind !== 'webhook'
            ? {
                label: 'Undo',
                onClick: () =>
                  restore.mutate({
                    organisationId: organisation.id,
                    workflowId,
                    data: triggerFormValues(gone),
                  }),
              }
            : undefined;
        toast({
          title: 'Trigger deleted',
          description: name,
          action: undo,
          duration: undo ? 8000 : undefined,
        });
      },
      onError: (error) => {
        setDeleting(null);
        toast({
          tone: 'error',
          title: "Couldn't delete the trigger",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });
  const setEnabled = useSetTriggerEnabled({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_result, { trigger, enabled }) =>
        toast({
          title: enabled ? 'Trigger on' : 'Trigger off',
          description: enabled
            ? `${trigger.name} fires again.`
            : `${trigger.name} fires nothing until switched on.`,
          action: {
            label: 'Undo',
            onClick: () =>
              setEnabled.mutate({ trigger: { ...trigger, enabled }, enabled: !enabled }),
          },
        }),
      onError: (error) =>
        toast({
          tone: 'error',
          title: "Couldn't switch the trigger",
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });
  const rotate = useRotateWebhookSecret({
    mutationConfig: {
      onSuccess: ({ secret }, { id }) => {
        const trigger = rotating;
        setRotating(null);
        setReveal({
          name: trigger?.name ?? 'Webhook',
          url: webhookUrl(env.supabaseUrl, id),
          secret,
          rotated: true,
        });
      },
      onError: (error) => {
        setRotating(null);
        toast({
          tone: 'error',
          title: "Couldn't rotate the secret",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  return (
    <section
      ref={sectionRef}
      id="triggers"
      aria-labelledby="workflow-triggers"
      className="scroll-mt-6 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 sm:px-5">
        <h2 id="workflow-triggers" className="flex-1 py-1 text-sm font-semibold text-slate-900">
          Triggers
        </h2>
        {canManage ? (
          <Button variant="secondary" size="sm" onClick={() => setEditing('new')}>
            <Plus className="size-4" aria-hidden />
            Add trigger
          </Button>
        ) : null}
      </div>
      {archived && triggers.data && triggers.data.length > 0 ? (
        <p className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700 sm:px-5">
          The workflow is archived: its triggers start nothing (each firing is recorded as failed)
          until it is restored.
        </p>
      ) : null}
      {triggers.isPending ? (
        <div role="status" aria-label="Loading triggers" className="space-y-2 p-4">
          <Skeleton className="h-4 w-48" />
          <Skeleton className="h-4 w-72" />
        </div>
      ) : triggers.isError ? (
        <ErrorState
          title="Couldn't load the triggers"
          message={getErrorMessage(triggers.error)}
          onRetry={() => void triggers.refetch()}
          isRetrying={triggers.isFetching}
          className="py-8"
        />
      ) : triggers.data.length === 0 ? (
        <TriggersEmpty canManage={canManage} />
      ) : (
        <ul aria-label="Triggers" className="divide-y divide-slate-100">
          {triggers.data.map((trigger) => (
            <TriggerRow
              key={trigger.id}
              trigger={trigger}
              canManage={canManage}
              onEdit={() => setEditing(trigger)}
              onDelete={() => setDeleting(trigger)}
              onRotate={() => setRotating(trigger)}
              onToggle={(enabled) => setEnabled.mutate({ trigger, enabled })}
            />
          ))}
        </ul>
      )}

      {canManage ? (
        <>
          <TriggerDialog
            organisationId={organisation.id}
            workflowId={workflowId}
            trigger={editing === 'new' ? null : editing}
            open={editing !== null}
            onOpenChange={(open) => (open ? undefined : setEditing(null))}
            onSaved={(saved, input) => {
              const added = editing === 'new';
              setEditing(null);
              if (saved.secret) {
                setReveal({
                  name: input.name,
                  url: webhookUrl(env.supabaseUrl, saved.id),
                  secret: saved.secret,
                  rotated: false,
                });
              } else {
                toast({
                  title: added ? 'Trigger added' : 'Trigger saved',
                  description: input.name,
                });
              }
            }}
          />
          <ConfirmDialog
            open={deleting !== null}
            onOpenChange={(open) => (open ? undefined : setDeleting(null))}
            title={`Delete ${deleting?.name ?? 'this trigger'}?`}
            description={
              deleting?.kind === 'webhook'
                ? 'Its URL stops working at once and its firing history goes. Jobs it started stay. This cannot be undone: a new webhook gets a new URL and secret.'
                : 'It stops firing and its firing history goes. Jobs it started stay.'
            }
            confirmLabel="Delete trigger"
            isPending={remove.isPending}
            onConfirm={() => deleting && remove.mutate({ id: deleting.id, name: deleting.name })}
          />
          <ConfirmDialog
            open={rotating !== null}
            onOpenChange={(open) => (open ? undefined : setRotating(null))}
            title={`Rotate the secret of ${rotating?.name ?? 'this webhook'}?`}
            description="The current secret stops working at once: every sender must switch to the new one, which is shown once."
            confirmLabel="Rotate secret"
            isPending={rotate.isPending}
            onConfirm={() => rotating && rotate.mutate({ id: rotating.id })}
          />
          <WebhookSecretDialog reveal={reveal} onClose={() => setReveal(null)} />
        </>
      ) : null}
    </section>
  );
}

function TriggersEmpty({ canManage }: { canManage: boolean }) {
  return (
    <div className="space-y-3 px-4 py-5 text-sm sm:px-5">
      <p className="font-medium text-slate-900">
        No triggers: this workflow runs only when started.
      </p>
      <p className="text-slate-600">A trigger starts it by itself:</p>
      <ul className="space-y-1.5 text-slate-600">
        <li className="flex gap-2">
          <CalendarClock className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
          <span>
            <strong className="font-medium text-slate-800">Schedule</strong>: at the times of a cron
            expression, in the organisation’s time zone (every weekday at 09:00).
          </span>
        </li>
        <li className="flex gap-2">
          <Zap className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
          <span>
            <strong className="font-medium text-slate-800">App event</strong>: when a restaurant’s
            stage changes, a task is completed or a sequence ends, if the event matches a filter.
          </span>
        </li>
        <li className="flex gap-2">
          <Webhook className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
          <span>
            <strong className="font-medium text-slate-800">Webhook</strong>: when another system
            sends a signed request to the trigger’s URL.
          </span>
        </li>
      </ul>
      {canManage ? null : <p className="text-slate-500">Owners and admins add triggers.</p>}
    </div>
  );
}

function TriggerRow({
  trigger,
  canManage,
  onEdit,
  onDelete,
  onRotate,
  onToggle,
}: {
  trigger: WorkflowTrigger;
  canManage: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onRotate: () => void;
  onToggle: (enabled: boolean) => void;
}) {
  const zone = getDisplayTimeZone();
  const now = useNow(60_000);
  const kind = trigger.kind as TriggerKind;
  const next =
    kind === 'schedule' && trigger.enabled
      ? trigger.next_fire_at && new Date(trigger.next_fire_at) > now
        ? new Date(trigger.next_fire_at)
        : (nextCronTimes(trigger.cron ?? '', now, trigger.timezone ?? zone, 1)[0] ?? null)
      : null;
  const url = kind === 'webhook' ? webhookUrl(env.supabaseUrl, trigger.id) : null;
  return (
    <li aria-label={trigger.name} className="space-y-2 px-4 py-3 sm:px-5">
      <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">
              {kindIcons[kind]}
              {triggerKindLabels[kind] ?? trigger.kind}
            </Badge>
            <span className="font-medium break-words text-slate-900">{trigger.name}</span>
            {trigger.enabled ? null : <Badge tone="slate">Off</Badge>}
          </p>
          <p className="mt-1 text-sm text-slate-700">
            {describeTrigger(trigger, zone)}
            {next ? (
              <>
                {' '}
                — next{' '}
                <time dateTime={next.toISOString()}>
                  {formatDayMonthInZone(next, trigger.timezone ?? zone)}{' '}
                  {formatTimeInZone(next, trigger.timezone ?? zone)}
                </time>
              </>
            ) : null}
          </p>
          {url ? (
            <div className="mt-1 flex flex-wrap items-center gap-2">
              <code className="min-w-0 font-mono text-xs break-all text-slate-600">{url}</code>
              <CopyButton text={url} label="Copy URL" />
            </div>
          ) : null}
          {trigger.run_as === null ? (
            <p className="mt-1 text-sm text-amber-800">
              The member it ran as has left: its firings fail until an owner or admin saves it (it
              then runs as them).
            </p>
          ) : null}
        </div>
        {canManage ? (
          <div className="flex flex-wrap items-center gap-1">
            <Switch
              size="sm"
              checked={trigger.enabled}
              onCheckedChange={onToggle}
              aria-label={`${trigger.name} enabled`}
            />
            <Button variant="ghost" size="sm" onClick={onEdit} aria-label={`Edit ${trigger.name}`}>
              <Pencil className="size-4" aria-hidden />
              Edit
            </Button>
            {kind === 'webhook' ? (
              <Button variant="ghost" size="sm" onClick={onRotate}>
                <RefreshCw className="size-4" aria-hidden />
                Rotate secret
              </Button>
            ) : null}
            <Button
              variant="ghost"
              size="sm"
              onClick={onDelete}
              aria-label={`Delete ${trigger.name}`}
            >
              <Trash2 className="size-4" aria-hidden />
              Delete
            </Button>
          </div>
        ) : null}
      </div>
      <Firings trigger={trigger} />
    </li>
  );
}

function Firings({ trigger }: { trigger: WorkflowTrigger }) {
  if (trigger.firings.length === 0) {
    return <p className="text-xs text-slate-500">Not fired yet.</p>;
  }
  return (
    <div>
      <p className="text-xs font-medium text-slate-500">Last firings</p>
      <ol aria-label={`Last firings of ${trigger.name}`} className="mt-1 space-y-1">
        {trigger.firings.map((firing) => (
          <FiringRow key={firing.id} firing={firing} />
        ))}
      </ol>
    </div>
  );
}

function FiringRow({ firing }: { firing: TriggerFiring }) {
  const reason = firingReason(firing);
  return (
    <li className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-slate-600">
      <time dateTime={firing.fired_at}>{formatDateTimeInZone(new Date(firing.fired_at))}</time>
      <Badge tone={firingTones[firing.status] ?? 'slate'}>
        {firingStatusLabels[firing.status] ?? firing.status}
      </Badge>
      {reason ? <span className="text-slate-700">{reason}</span> : null}
      {firing.job_id ? (
        <Link
          to={paths.app.job.getHref(firing.job_id)}
          className="font-medium text-brand-700 hover:underline"
        >
          View job
        </Link>
      ) : null}
    </li>
  );
}
