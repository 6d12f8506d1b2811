import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field, Input } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';
import {
  JOB_RETENTION_LIMITS,
  jobRetentionQueries,
  useSetJobRetention,
} from '../api/job-retention';

const days = (n: number) => `${n.toLocaleString('en-GB')} day${n === 1 ? '' : 's'}`;

/** The form's text as a number of days, or the reason it is not one. */
export function parseRetentionDays(text: string): { days: number } | { error: string } {
  const { min, max } = JOB_RETENTION_LIMITS;
  if (text.trim() === '') return { error: 'Enter a number of days' };
  const value = Number(text);
  if (!Number.isInteger(value)) return { error: 'Enter a whole number of days' };
  if (value < min || value > max)
    return { error: `Between ${min} and ${max.toLocaleString('en-GB')} days` };
  return { days: value };
}

/**
 * Settings → Job history: how long finished jobs are kept before the scheduled cleanup
 * deletes them with their events. Owners and admins change it; members read it. Shortening
 * it deletes history within the minute, so that asks first.
 */
export function RetentionSection() {
  const organisation = useCurrentOrganisation();
  const canEdit = isOrganisationAdmin(organisation.role);
  const headingId = useId();
  const query = useQuery(jobRetentionQueries.detail(organisation.id));

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-xl bg-white px-5 py-5 shadow-xs ring-1 ring-slate-200 sm:px-6"
    >
      <h2 id={headingId} className="text-base font-semibold text-slate-900">
        Job history
      </h2>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">
        Finished workflow jobs (completed, failed or cancelled) and their event history are deleted
        once they finished longer ago than this. Jobs waiting or running are never deleted.
      </p>
      <div className="mt-4">
        {query.isPending ? (
          <div role="status" aria-label="Loading the job history setting" className="space-y-2">
            <Skeleton className="h-4 w-48" />
            <Skeleton className="h-9 w-40" />
          </div>
        ) : query.isError ? (
          <ErrorState
            title="Couldn't load the job history setting"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
            className="py-6"
          />
        ) : canEdit ? (
          <RetentionForm
            // A save or a refetch with another value starts the form afresh from it.
            key={query.data}
            organisationId={organisation.id}
            current={query.data}
          />
        ) : (
          <p className="text-sm text-slate-800">
            Finished job history is kept for <strong>{days(query.data)}</strong>. Only owners and
            admins can change this.
          </p>
        )}
      </div>
    </section>
  );
}

function RetentionForm({ organisationId, current }: { organisationId: string; current: number }) {
  const { toast } = useToast();
  const [text, setText] = useState(String(current));
  const [error, setError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<number | null>(null);
  const save = useSetJobRetention({
    organisationId,
    mutationConfig: {
      onSuccess: (saved) => {
        setConfirming(null);
        toast({
          title: 'Job history setting saved',
          description: `Finished jobs are kept for ${days(saved)}.`,
        });
      },
      onError: (err) => {
        setConfirming(null);
        setError(getErrorMessage(err));
      },
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseRetentionDays(text);
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    setError(undefined);
    if (parsed.days === current) return;
    // Shorter means jobs between the new and the old age are deleted at the next cleanup.
    if (parsed.days < current) setConfirming(parsed.days);
    else save.mutate({ organisationId, days: parsed.days });
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
      <Field
        label="Keep finished job history for (days)"
        error={error}
        hint={`${JOB_RETENTION_LIMITS.min} to ${JOB_RETENTION_LIMITS.max.toLocaleString('en-GB')} days; ${JOB_RETENTION_LIMITS.default} unless changed.`}
        required
        className="w-72"
      >
        {(control) => (
          <Input
            {...control}
            type="number"
            inputMode="numeric"
            min={JOB_RETENTION_LIMITS.min}
            max={JOB_RETENTION_LIMITS.max}
            step={1}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        )}
      </Field>
      <Button type="submit" isLoading={save.isPending && confirming === null}>
        Save
      </Button>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => (open || save.isPending ? undefined : setConfirming(null))}
        title={`Keep job history for ${confirming === null ? '' : days(confirming)}?`}
        description={`Finished jobs older than ${confirming === null ? '' : days(confirming)}, and their events, will be deleted for good by the next cleanup (within a minute). This can't be undone.`}
        confirmLabel="Shorten and delete"
        isPending={save.isPending}
        onConfirm={() => confirming !== null && save.mutate({ organisationId, days: confirming })}
      />
    </form>
  );
}
