import type { BusinessCalendar } from '@forkflow/domain/business-calendar';
import { delayUnitSchema } from '@forkflow/domain/business-calendar';
import { leadStageLabels, leadStageSchema } from '@forkflow/domain/restaurants';
import {
  formatDelay,
  taskPriorityLabels,
  taskPrioritySchema,
  sequenceStepTypeLabels,
  sequenceStepTypeSchema,
} from '@forkflow/domain/sequence-template';
import { useQuery } from '@tanstack/react-query';
import { Copy, MessageSquareText, Pencil, Trash2, UserRound } from 'lucide-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { paths } from '@/config/paths';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatRelative } from '@/lib/utils';
import { sequenceTemplateQueries, type SequenceTemplateDetail } from '../api/queries';
import type { MemberOption } from '../types';
import { SequenceTemplateAnalytics } from './sequence-template-analytics';
import { TimelinePreview } from './timeline-preview';

type Props = {
  id: string;
  calendar: BusinessCalendar;
  hasCalendar: boolean;
  members: MemberOption[];
  canEdit: (template: SequenceTemplateDetail) => boolean;
  onEdit: (template: SequenceTemplateDetail) => void;
  onDuplicate: (template: SequenceTemplateDetail) => void;
  onDelete: (template: SequenceTemplateDetail) => void;
  onToggleActive: (template: SequenceTemplateDetail, active: boolean) => void;
  isDuplicating?: boolean;
};

function Card({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <h2
        id={id}
        className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-900"
      >
        {title}
      </h2>
      {children}
    </section>
  );
}

export function SequenceTemplateDetails({
  id,
  calendar,
  hasCalendar,
  members,
  canEdit,
  onEdit,
  onDuplicate,
  onDelete,
  onToggleActive,
  isDuplicating = false,
}: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(sequenceTemplateQueries.detail(organisation.id, id));
  const [openedAt] = useState(() => new Date());
  const template = query.data;

  const timelineSteps = useMemo(
    () =>
      (template?.steps ?? []).map((step) => ({
        name: step.name,
        delay_value: step.delay_value,
        delay_unit: delayUnitSchema.catch('days').parse(step.delay_unit),
      })),
    [template],
  );
  const startDelay = useMemo(
    () => ({
      value: template?.start_delay_value ?? 0,
      unit: delayUnitSchema.catch('days').parse(template?.start_delay_unit),
    }),
    [template],
  );

  const back = <BackLink to={paths.app.sequenceTemplates.getHref()}>Sequences</BackLink>;

  if (query.isPending || !template) {
    return (
      <DetailPlaceholder
        back={back}
        query={query}
        label="Loading sequence"
        notFoundTitle="Sequence not found"
        errorTitle="Couldn't load this sequence"
      >
        <div className="space-y-3">
          <Skeleton className="h-8 w-72 max-w-full" />
          <Skeleton className="h-5 w-48" />
        </div>
        <div className="grid gap-6 lg:grid-cols-3">
          <Skeleton className="h-72 lg:col-span-2" />
          <Skeleton className="h-72" />
        </div>
      </DetailPlaceholder>
    );
  }

  const editable = canEdit(template);
  const membersById = new Map(members.map((member) => [member.id, member.name]));
  const exitStages = template.exit_stages.flatMap((stage) => {
    const parsed = leadStageSchema.safeParse(stage);
    return parsed.success ? [leadStageLabels[parsed.data]] : [];
  });

  return (
    <div className="space-y-6">
      {back}
      <header className="flex flex-col gap-4 xl:flex-row xl:items-start xl:justify-between">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
              {template.name}
            </h1>
            {template.is_active ? (
              <Badge tone="emerald" dot>
                Active
              </Badge>
            ) : (
              <Badge tone="slate">Inactive</Badge>
            )}
          </div>
          {template.description ? (
            <p className="mt-1 max-w-2xl text-sm text-slate-600">{template.description}</p>
          ) : null}
          <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
            {template.tags.map((tag) => (
              <Link
                key={tag}
                to={`${paths.app.sequenceTemplates.getHref()}?tag=${encodeURIComponent(tag)}`}
                className="rounded-full bg-brand-50 px-2.5 py-0.5 font-medium text-brand-800 ring-1 ring-brand-600/15 ring-inset hover:bg-brand-100"
              >
                {tag}
              </Link>
            ))}
            <span>
              {template.usage_count === 0
                ? 'Not started yet'
                : `Started ${template.usage_count} ${template.usage_count === 1 ? 'time' : 'times'}`}
            </span>
            <span aria-hidden>·</span>
            <span>
              Updated{' '}
              <time dateTime={template.updated_at}>{formatRelative(template.updated_at)}</time>
            </span>
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          <label className="mr-2 flex items-center gap-2 text-sm text-slate-700">
            <Switch
              checked={template.is_active}
              disabled={!editable}
              onCheckedChange={(active) => onToggleActive(template, active)}
              aria-label="Active"
            />
            <span aria-hidden>Active</span>
          </label>
          <Button
            variant="secondary"
            onClick={() => onDuplicate(template)}
            isLoading={isDuplicating}
          >
            {isDuplicating ? null : <Copy className="size-4" aria-hidden />}
            Duplicate
          </Button>
          {editable ? (
            <>
              <Button variant="secondary-danger" onClick={() => onDelete(template)}>
                <Trash2 className="size-4" aria-hidden />
                Delete
              </Button>
              <Button onClick={() => onEdit(template)}>
                <Pencil className="size-4" aria-hidden />
                Edit
              </Button>
            </>
          ) : null}
        </div>
      </header>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Card title={`Steps (${template.steps.length})`} id="steps-title">
            {template.steps.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-500">
                No steps yet. {editable ? 'Edit the sequence to add some.' : ''}
              </p>
            ) : (
              <ol className="divide-y divide-slate-100">
                {template.steps.map((step, index) => {
                  const type = sequenceStepTypeSchema.catch('internal_activity').parse(step.type);
                  const priority = taskPrioritySchema.catch('medium').parse(step.priority);
                  const delay = formatDelay({
                    value: step.delay_value,
                    unit: delayUnitSchema.catch('days').parse(step.delay_unit),
                  });
                  return (
                    <li key={step.id} className="flex gap-3 px-5 py-3.5">
                      <span
                        className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700 tabular-nums"
                        aria-hidden
                      >
                        {index + 1}
                      </span>
                      <div className="min-w-0 flex-1">
                        <p className="text-sm font-medium text-slate-900">
                          <span className="sr-only">Step {index + 1}: </span>
                          {step.name}
                        </p>
                        <p className="mt-0.5 text-xs text-slate-500">
                          {sequenceStepTypeLabels[type]} · {taskPriorityLabels[priority]} priority ·{' '}
                          {index === 0
                            ? delay === 'no delay'
                              ? 'when the sequence starts'
                              : `${delay} after the start`
                            : delay === 'no delay'
                              ? 'right after the previous step'
                              : `${delay} after the previous step`}
                        </p>
                        <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-500">
                          {step.message_template_id || step.custom_message ? (
                            <span className="inline-flex items-center gap-1">
                              <MessageSquareText className="size-3.5" aria-hidden />
                              {step.message_template_id ? 'Message template' : 'Custom message'}
                            </span>
                          ) : null}
                          {step.assigned_to_override ? (
                            <span className="inline-flex items-center gap-1">
                              <UserRound className="size-3.5" aria-hidden />
                              {membersById.get(step.assigned_to_override) ?? 'Former member'}
                            </span>
                          ) : null}
                        </div>
                      </div>
                    </li>
                  );
                })}
              </ol>
            )}
            <dl className="grid grid-cols-1 gap-3 border-t border-slate-100 px-5 py-4 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-xs font-medium text-slate-500">Start delay</dt>
                <dd className="mt-0.5 text-slate-900">
                  {template.start_delay_value === 0
                    ? 'None: the first step counts from the start'
                    : formatDelay(startDelay)}
                </dd>
              </div>
              <div>
                <dt className="text-xs font-medium text-slate-500">
                  Ends early when the restaurant moves to
                </dt>
                <dd className="mt-0.5 text-slate-900">
                  {exitStages.length ? exitStages.join(', ') : 'No exit stages'}
                </dd>
              </div>
            </dl>
          </Card>
          <SequenceTemplateAnalytics templateId={template.id} />
        </div>
        <aside className="min-w-0 lg:sticky lg:top-6 lg:self-start">
          <TimelinePreview
            steps={timelineSteps}
            startDelay={startDelay}
            calendar={calendar}
            hasCalendar={hasCalendar}
            now={openedAt}
          />
        </aside>
      </div>
    </div>
  );
}
