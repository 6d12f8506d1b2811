import { taskTypeSchema } from '@forkflow/domain/sequence-template';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { BackLink, LoadFailure } from '@/components/ui/page-states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { organisationQueries } from '@/features/organisations/api/queries';
import {
  emptyMessageTemplateFormValues,
  useCreateMessageTemplate,
  type MessageTemplateFormValues,
} from '@/features/templates/api/create-message-template';
import { templateQueries, type MessageTemplate } from '@/features/templates/api/queries';
import { useUpdateMessageTemplate } from '@/features/templates/api/update-message-template';
import { MessageTemplateEditor } from '@/features/templates/components/message-template-editor';
import type { Rep } from '@/features/templates/types';
import { useUnsavedChangesGuard } from '@/hooks/use-unsaved-changes-guard';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';

const toFormValues = (template: MessageTemplate): MessageTemplateFormValues => ({
  name: template.name,
  description: template.description ?? '',
  type: taskTypeSchema.catch('email').parse(template.type),
  subject: template.subject ?? '',
  message_content: template.message_content,
  is_active: template.is_active,
});

// /templates/messages/new and /templates/messages/:messageTemplateId.
export function Component() {
  const { messageTemplateId } = useParams();
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const template = useQuery({
    ...templateQueries.messageTemplate(organisation.id, messageTemplateId ?? ''),
    enabled: Boolean(messageTemplateId),
  });
  const members = useQuery(organisationQueries.members(organisation.id));
  const reps = useMemo<Rep[]>(
    () =>
      (members.data ?? []).map((member) => ({
        id: member.userId,
        name: member.fullName,
        email: member.email,
      })),
    [members.data],
  );
  const title = messageTemplateId ? 'Edit message template' : 'New message template';
  const backHref = paths.app.templates.getHref('messages');

  const header = (
    <header className="space-y-3">
      <BackLink to={backHref}>Message templates</BackLink>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
        {template.data?.name ?? title}
      </h1>
    </header>
  );

  if (messageTemplateId && template.isError && !template.data) {
    return (
      <div className="space-y-6">
        <title>{`${title} · ${organisation.name} · Forkflow`}</title>
        {header}
        <LoadFailure
          query={template}
          notFoundTitle="Template not found"
          errorTitle="Couldn't load this template"
        />
      </div>
    );
  }

  if (messageTemplateId && !template.data) {
    return (
      <div className="space-y-6">
        <title>{`${title} · ${organisation.name} · Forkflow`}</title>
        {header}
        <div role="status" aria-label="Loading template" className="grid gap-6 lg:grid-cols-3">
          <Skeleton className="h-96 lg:col-span-2" />
          <Skeleton className="h-64" />
        </div>
      </div>
    );
  }

  const readOnly =
    template.data !== undefined &&
    organisation.role === 'member' &&
    template.data.created_by !== user.id;

  return (
    <div className="space-y-6">
      <title>{`${template.data?.name ?? title} · ${organisation.name} · Forkflow`}</title>
      {header}
      {readOnly ? (
        <p className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-700">
          Only the person who created this template, or an owner or admin, can change it. You can
          still preview it for any restaurant.
        </p>
      ) : null}
      <EditorBody
        key={messageTemplateId ?? 'new'}
        template={template.data ?? null}
        reps={reps}
        backHref={backHref}
        readOnly={readOnly}
      />
    </div>
  );
}

function EditorBody({
  template,
  reps,
  backHref,
  readOnly,
}: {
  template: MessageTemplate | null;
  reps: Rep[];
  backHref: string;
  readOnly: boolean;
}) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty && !readOnly);
  const [defaultValues] = useState(() =>
    template ? toFormValues(template) : emptyMessageTemplateFormValues,
  );
  const done = (name: string, created: boolean) => {
    toast({ title: created ? 'Message template created' : 'Changes saved', description: name });
    guard.allowNextNavigation();
    navigate(backHref);
  };
  const create = useCreateMessageTemplate({
    organisationId: organisation.id,
    mutationConfig: { onSuccess: (row) => done(row.name, true) },
  });
  const update = useUpdateMessageTemplate({
    organisationId: organisation.id,
    mutationConfig: { onSuccess: (row) => done(row.name, false) },
  });
  const mutation = template ? update : create;

  return (
    <>
      <MessageTemplateEditor
        defaultValues={defaultValues}
        reps={reps}
        readOnly={readOnly}
        submitLabel={template ? 'Save template' : 'Create template'}
        isPending={mutation.isPending}
        serverError={mutation.error ? getErrorMessage(mutation.error) : null}
        onDirtyChange={setDirty}
        onCancel={() => navigate(backHref)}
        onSubmit={(data) =>
          template
            ? update.mutate({ organisationId: organisation.id, id: template.id, data })
            : create.mutate({ organisationId: organisation.id, data })
        }
      />
      <ConfirmDialog
        open={guard.isBlocked}
        onOpenChange={(open) => (open ? undefined : guard.stay())}
        title="Discard unsaved changes?"
        description="Your changes to this template haven't been saved. If you leave now, they're lost."
        confirmLabel="Discard changes"
        onConfirm={guard.leave}
      />
    </>
  );
}
