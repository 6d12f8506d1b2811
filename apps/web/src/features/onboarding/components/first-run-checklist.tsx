import { useQuery } from '@tanstack/react-query';
import { CheckCircle2, Circle, Copy, X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Button, ButtonLink } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import type { OrganisationRole } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import { useCopyStarterTemplates } from '../api/copy-starter-templates';
import { firstRunQueries } from '../api/queries';
import { useFirstRunDismissed } from '../hooks/use-first-run-dismissed';

export type FirstRunLinks = {
  importRestaurants: string;
  /** Where "Add restaurant" goes, with route state that opens the form there. */
  addRestaurant: { to: string; state?: unknown };
  sequences: string;
  sequence: (id: string) => string;
  members: string;
};

type Props = {
  organisationId: string;
  userId: string;
  role: OrganisationRole;
  links: FirstRunLinks;
  /** After a copy, for the pages that list templates (the app composes their caches). */
  onCopied?: () => void;
};

/**
 * The first day's three steps on the home page: restaurants in, a sequence to run, the team
 * invited. Each ticks itself from the organisation's rows; the card goes once all three are
 * done, or when the user hides it (remembered per user and organisation). Shows nothing
 * while it loads: most visits are by organisations that are set up and never see it.
 */
export function FirstRunChecklist({ organisationId, userId, role, links, onCopied }: Props) {
  const titleId = useId();
  const { dismissed, dismiss } = useFirstRunDismissed(userId, organisationId);
  const progress = useQuery({ ...firstRunQueries.progress(organisationId), enabled: !dismissed });
  const { toast } = useToast();
  const navigate = useNavigate();
  const copy = useCopyStarterTemplates({
    organisationId,
    mutationConfig: {
      onSuccess: ({ sequenceTemplateId, created }) => {
        onCopied?.();
        toast({
          title: created > 0 ? 'Demo Follow-up copied' : 'Demo Follow-up is already here',
          description: 'It is in Sequences, ready to start for a restaurant.',
          action: { label: 'Open', onClick: () => navigate(links.sequence(sequenceTemplateId)) },
        });
      },
      onError: (error) =>
        toast({
          tone: 'error',
          title: "The starter sequence wasn't copied",
          description: getErrorMessage(error),
        }),
    },
  });

  if (dismissed || progress.isPending) return null;

  if (progress.isError) {
    return (
      <section
        aria-label="Getting started"
        className="flex flex-wrap items-center justify-between gap-3 rounded-xl bg-white p-4 text-sm text-slate-700 shadow-xs ring-1 ring-slate-200"
      >
        <p role="alert">Couldn’t load your getting-started checklist.</p>
        <Button
          variant="secondary"
          size="sm"
          isLoading={progress.isFetching}
          onClick={() => void progress.refetch()}
        >
          Try again
        </Button>
      </section>
    );
  }

  const { hasRestaurants, hasSequence, hasTeam } = progress.data;
  const doneCount = [hasRestaurants, hasSequence, hasTeam].filter(Boolean).length;
  if (doneCount === 3) return null;
  const canInvite = role === 'owner' || role === 'admin';

  return (
    <section
      aria-labelledby={titleId}
      className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 sm:p-5"
    >
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Get set up
          </h2>
          <p className="mt-0.5 text-sm text-slate-600">{doneCount} of 3 done</p>
        </div>
        <Button
          variant="ghost"
          size="icon"
          aria-label="Hide the getting-started checklist"
          onClick={dismiss}
        >
          <X className="size-4" aria-hidden />
        </Button>
      </div>
      <ol className="mt-4 divide-y divide-slate-100">
        <Step
          done={hasRestaurants}
          title="Add your restaurants"
          description="Import your leads from a spreadsheet, or add them one at a time."
        >
          <ButtonLink size="sm" variant="secondary" to={links.importRestaurants}>
            Import a CSV
          </ButtonLink>
          <ButtonLink
            size="sm"
            variant="secondary"
            to={links.addRestaurant.to}
            state={links.addRestaurant.state}
          >
            Add restaurant
          </ButtonLink>
        </Step>
        <Step
          done={hasSequence}
          title="Pick a starter sequence"
          description="Demo Follow-up: seven tasks over about two weeks, from the demo confirmation to the contract, with its emails and call scripts."
        >
          {hasSequence ? null : (
            <Button
              size="sm"
              isLoading={copy.isPending}
              onClick={() => copy.mutate({ organisationId })}
            >
              {copy.isPending ? null : <Copy className="size-4" aria-hidden />}
              Copy Demo Follow-up
            </Button>
          )}
          <ButtonLink size="sm" variant="secondary" to={links.sequences}>
            {hasSequence ? 'Open Sequences' : 'Browse sequences'}
          </ButtonLink>
        </Step>
        <Step
          done={hasTeam}
          title="Invite your team"
          description={
            canInvite
              ? 'Reps see their own tasks; you see everyone’s.'
              : 'Owners and admins invite colleagues from the Members page.'
          }
        >
          <ButtonLink size="sm" variant="secondary" to={links.members}>
            {canInvite ? 'Invite people' : 'See members'}
          </ButtonLink>
        </Step>
      </ol>
    </section>
  );
}

function Step({
  done,
  title,
  description,
  children,
}: {
  done: boolean;
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <li className="flex flex-col gap-3 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-center">
      <div className="flex min-w-0 flex-1 items-start gap-3">
        {done ? (
          <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-hidden />
        ) : (
          <Circle className="mt-0.5 size-5 shrink-0 text-slate-300" aria-hidden />
        )}
        <div className="min-w-0">
          <p className={cn('text-sm font-medium', done ? 'text-slate-500' : 'text-slate-900')}>
            <span className="sr-only">{done ? 'Done: ' : 'To do: '}</span>
            {title}
          </p>
          <p className="mt-0.5 text-sm text-slate-600">{description}</p>
        </div>
      </div>
      <div className="flex flex-wrap gap-2 pl-8 sm:pl-0">{children}</div>
    </li>
  );
}
