import {
  emptySequenceTemplateFormValues,
  sequenceTemplateToFormValues,
  taskPrioritySchema,
  taskTypeSchema,
  type SequenceTemplateFormValues,
} from '@forkflow/domain/sequence-template';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { BackLink, LoadFailure } from '@/components/ui/page-states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { AutomatedStepFields } from '@/features/automated-steps/components/automated-step-fields';
import { organisationQueries } from '@/features/organisations/api/queries';
import { sequenceTemplateQueries } from '@/features/sequence-templates/api/queries';
import { useSaveSequenceTemplate } from '@/features/sequence-templates/api/save-sequence-template';
import { SequenceBuilder } from '@/features/sequence-templates/components/sequence-builder';
import { useUnsavedChangesGuard } from '@/hooks/use-unsaved-changes-guard';
import type {
  MessageTemplateOption,
  TaskTemplateOption,
} from '@/features/sequence-templates/types';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { templateQueries } from '@/features/templates/api/queries';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canEditTemplate } from '@/lib/permissions';

// /sequence-templates/new and /sequence-templates/:templateId/edit.
export function Component() {
  const { templateId } = useParams();
  const organisation = useCurrentOrganisation();
  const orgId = organisation.id;
  const user = useUser();

  const template = useQuery({
    ...sequenceTemplateQueries.detail(orgId, templateId ?? ''),
    enabled: Boolean(templateId),
  });
  const calendar = useQuery(businessCalendarQueries.detail(orgId));
  const taskTemplates = useQuery(templateQueries.taskTemplates(orgId));
  const messageTemplates = useQuery(templateQueries.messageTemplates(orgId));
  const members = useQuery(organisationQueries.members(orgId));
  const list = useQuery(sequenceTemplateQueries.list(orgId));

  const title = templateId ? 'Edit sequence' : 'New sequence';
  const queries = [calendar, taskTemplates, messageTemplates, ...(templateId ? [template] : [])];
  // A failed background refetch keeps what was loaded: never throw away the form for it.
  const failed = queries.find((query) => query.isError && query.data === undefined);
  const loading = queries.some((query) => query.isPending);

  const backHref = templateId
    ? paths.app.sequenceTemplate.getHref(templateId)
    : paths.app.sequenceTemplates.getHref();

  const defaultValues = useMemo<SequenceTemplateFormValues | null>(() => {
    if (!templateId) return emptySequenceTemplateFormValues;
    return template.data ? sequenceTemplateToFormValues(template.data, template.data.steps) : null;
  }, [templateId, template.data]);

  const tagSuggestions = useMemo(
    () => [...new Set((list.data ?? []).flatMap((item) => item.tags))].sort(),
    [list.data],
  );

  const header = (
    <header className="space-y-3">
      <BackLink to={backHref}>
        {templateId ? (template.data?.name ?? 'Sequence') : 'Sequences'}
      </BackLink>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
    </header>
  );

  if (failed) {
    return (
      <div className="space-y-6">
        <title>{`${title} · ${organisation.name} · Forkflow`}</title>
        {header}
        <LoadFailure
          query={failed}
          notFoundTitle="Sequence not found"
          errorTitle="Couldn't open the builder"
        />
      </div>
    );
  }

  if (loading || !defaultValues || !calendar.data) {
    return (
      <div className="space-y-6">
        <title>{`${title} · ${organisation.name} · Forkflow`}</title>
        {header}
        <div role="status" aria-label="Loading the builder" className="grid gap-6 lg:grid-cols-3">
          <div className="space-y-4 lg:col-span-2">
            <Skeleton className="h-72" />
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
          <Skeleton className="h-64" />
        </div>
      </div>
    );
  }

  const canEdit = !template.data || canEditTemplate(organisation.role, user.id, template.data);

  return (
    <div className="space-y-6">
      <title>{`${template.data?.name ?? title} · ${organisation.name} · Forkflow`}</title>
      {header}
      {canEdit ? null : (
        <p className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          Only the person who created this sequence, or an owner or admin, can save changes to it.
          You can duplicate it from the sequences list and change the copy.
        </p>
      )}
      <BuilderBody
        // Editing starts afresh if another template is opened in place.
        key={templateId ?? 'new'}
        defaultValues={defaultValues}
        backHref={backHref}
        calendar={calendar.data}
        taskTemplates={(taskTemplates.data ?? []).map(toTaskTemplateOption)}
        messageTemplates={(messageTemplates.data ?? []).map(toMessageTemplateOption)}
        members={(members.data ?? []).map((member) => ({
          id: member.userId,
          name: member.fullName,
        }))}
        tagSuggestions={tagSuggestions}
        automatedStepFields={renderAutomatedStepFields}
      />
    </div>
  );
}

// The automated-steps feature's fields inside the builder's step editor (issue 14 §1).
const renderAutomatedStepFields = (index: number) => <AutomatedStepFields index={index} />;

type BodyProps = Pick<
  Parameters<typeof SequenceBuilder>[0],
  | 'defaultValues'
  | 'taskTemplates'
  | 'messageTemplates'
  | 'members'
  | 'tagSuggestions'
  | 'automatedStepFields'
> & {
  backHref: string;
  calendar: { calendar: Parameters<typeof SequenceBuilder>[0]['calendar']; isDefault: boolean };
};

function BuilderBody({ defaultValues, backHref, calendar, ...options }: BodyProps) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty);
  const save = useSaveSequenceTemplate({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => {
        toast({
          title: defaultValues.id ? 'Sequence saved' : 'Sequence created',
          description: row.name,
        });
        guard.allowNextNavigation();
        navigate(paths.app.sequenceTemplate.getHref(row.id));
      },
    },
  });

  return (
    <>
      <SequenceBuilder
        defaultValues={defaultValues}
        calendar={calendar.calendar}
        hasCalendar={!calendar.isDefault}
        submitLabel={defaultValues.id ? 'Save sequence' : 'Create sequence'}
        isPending={save.isPending}
        serverError={save.error ? getErrorMessage(save.error) : null}
        onDirtyChange={setDirty}
        onCancel={() => navigate(backHref)}
        onSubmit={(data) => save.mutate({ organisationId: organisation.id, data })}
        {...options}
      />
      <ConfirmDialog
        open={guard.isBlocked}
        onOpenChange={(open) => (open ? undefined : guard.stay())}
        title="Discard unsaved changes?"
        description="Your changes to this sequence haven't been saved. If you leave now, they're lost."
        confirmLabel="Discard changes"
        onConfirm={guard.leave}
      />
    </>
  );
}

const toTaskTemplateOption = (template: {
  id: string;
  name: string;
  type: string;
  priority: string;
  message_template_id: string | null;
  default_message: string | null;
  is_active: boolean;
}): TaskTemplateOption => ({
  id: template.id,
  name: template.name,
  type: taskTypeSchema.catch('internal_activity').parse(template.type),
  priority: taskPrioritySchema.catch('medium').parse(template.priority),
  message_template_id: template.message_template_id,
  default_message: template.default_message,
  is_active: template.is_active,
});

const toMessageTemplateOption = (template: {
  id: string;
  name: string;
  type: string;
  is_active: boolean;
}): MessageTemplateOption => ({
  id: template.id,
  name: template.name,
  type: taskTypeSchema.catch('email').parse(template.type),
  is_active: template.is_active,
});
