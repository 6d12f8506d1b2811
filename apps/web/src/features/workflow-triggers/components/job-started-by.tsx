import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { useCurrentOrganisation } from '@/lib/organisation';
import { triggerKindLabels, triggerQueries, type TriggerKind } from '../api/queries';

/** The columns of a job that say what started it. */
export type JobOrigin = {
  user_id: string;
  trigger_id: string | null;
  sequence_task_id: string | null;
  flow_run_flow_id: string | null;
};

/** What started a job, as the overview's or the list's "Started by" shows it. */
export const jobOriginKind = (job: JobOrigin) =>
  job.trigger_id
    ? 'trigger'
    : job.sequence_task_id
      ? 'sequence'
      : job.flow_run_flow_id
        ? 'flow-run'
        : 'person';

const linkClass = 'relative z-10 font-medium text-brand-700 hover:underline';

/**
 * "Started by" (issue 14 §3): a person, a trigger (linked to its workflow's triggers), a
 * sequence step (linked to its restaurant's sequence) or a flow run. The job always runs as
 * a member (jobs.user_id): for the machine-started ones that member is named after.
 */
export function JobStartedBy({
  job,
  memberName,
}: {
  job: JobOrigin;
  memberName: (id: string) => string | undefined;
}) {
  const person = memberName(job.user_id) ?? 'A former member';
  switch (jobOriginKind(job)) {
    case 'trigger':
      return <TriggerOrigin triggerId={job.trigger_id ?? ''} person={person} />;
    case 'sequence':
      return <SequenceOrigin taskId={job.sequence_task_id ?? ''} person={person} />;
    case 'flow-run':
      return <FlowRunOrigin runFlowId={job.flow_run_flow_id ?? ''} person={person} />;
    default:
      return <span>{person}</span>;
  }
}

function AsPerson({ person }: { person: string }) {
  return <span className="text-slate-500"> · as {person}</span>;
}

function TriggerOrigin({ triggerId, person }: { triggerId: string; person: string }) {
  const organisation = useCurrentOrganisation();
  const names = useQuery(triggerQueries.names(organisation.id));
  const trigger = names.data?.find((row) => row.id === triggerId);
  if (!trigger) {
    return (
      <span>
        {names.isPending ? 'A trigger' : 'A trigger since deleted'}
        <AsPerson person={person} />
      </span>
    );
  }
  return (
    <span>
      Trigger{' '}
      <Link
        to={`${paths.app.workflow.getHref(trigger.workflow_id)}#triggers`}
        className={linkClass}
      >
        {trigger.name}
      </Link>{' '}
      ({(triggerKindLabels[trigger.kind as TriggerKind] ?? trigger.kind).toLowerCase()})
      <AsPerson person={person} />
    </span>
  );
}

function SequenceOrigin({ taskId, person }: { taskId: string; person: string }) {
  const organisation = useCurrentOrganisation();
  const task = useQuery(triggerQueries.originTask(organisation.id, taskId));
  const row = task.data;
  if (!row) {
    return (
      <span>
        {task.isPending ? 'A sequence step' : 'A sequence step since deleted'}
        <AsPerson person={person} />
      </span>
    );
  }
  const step = row.sequence_step_order !== null ? `Step ${row.sequence_step_order}` : 'A step';
  const href = row.restaurant_id
    ? row.sequence_instance_id
      ? paths.app.restaurantSequence.getHref(row.restaurant_id, row.sequence_instance_id)
      : paths.app.restaurant.getHref(row.restaurant_id)
    : null;
  const label = `${step} “${row.name}”${row.restaurant ? ` of ${row.restaurant.name}` : ''}`;
  return (
    <span>
      Sequence:{' '}
      {href ? (
        <Link to={href} className={linkClass}>
          {label}
        </Link>
      ) : (
        label
      )}
      <AsPerson person={person} />
    </span>
  );
}

function FlowRunOrigin({ runFlowId, person }: { runFlowId: string; person: string }) {
  const organisation = useCurrentOrganisation();
  const flow = useQuery(triggerQueries.originFlowRun(organisation.id, runFlowId));
  if (!flow.data) {
    return (
      <span>
        A flow run
        <AsPerson person={person} />
      </span>
    );
  }
  return (
    <span>
      <Link to={paths.app.flowRun.getHref(flow.data.run_id)} className={linkClass}>
        Flow run
      </Link>{' '}
      (flow {flow.data.position + 1})
      <AsPerson person={person} />
    </span>
  );
}
