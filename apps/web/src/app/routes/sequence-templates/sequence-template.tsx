import { OPEN_AROUND_THE_CLOCK } from '@forkflow/domain/business-calendar';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { organisationQueries } from '@/features/organisations/api/queries';
import type { SequenceTemplateDetail } from '@/features/sequence-templates/api/queries';
import { useDuplicateSequenceTemplate } from '@/features/sequence-templates/api/duplicate-sequence-template';
import { useSetSequenceTemplateActive } from '@/features/sequence-templates/api/set-sequence-template-active';
import { DeleteSequenceTemplateDialog } from '@/features/sequence-templates/components/delete-sequence-template-dialog';
import { SequenceTemplateDetails } from '@/features/sequence-templates/components/sequence-template-details';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canEditTemplate } from '@/lib/permissions';

export function Component() {
  const { templateId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const navigate = useNavigate();
  const { toast } = useToast();
  const calendar = useQuery(businessCalendarQueries.detail(organisation.id));
  const members = useQuery(organisationQueries.members(organisation.id));
  const [deleting, setDeleting] = useState<SequenceTemplateDetail | null>(null);

  const toggle = useSetSequenceTemplateActive({
    organisationId: organisation.id,
    mutationConfig: {
      onError: (error, variables) =>
        toast({
          tone: 'error',
          title: `Couldn't ${variables.is_active ? 'activate' : 'deactivate'} ${variables.name ?? 'the sequence'}`,
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });
  const duplicate = useDuplicateSequenceTemplate({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (copy) => {
        toast({ title: 'Sequence duplicated', description: copy.name });
        navigate(paths.app.sequenceTemplate.getHref(copy.id));
      },
      onError: (error, variables) =>
        toast({
          tone: 'error',
          title: `Couldn't duplicate ${variables.name ?? 'the sequence'}`,
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });

  return (
    <>
      <title>{`Sequence · ${organisation.name} · Forkflow`}</title>
      <SequenceTemplateDetails
        // Another template opened in place (e.g. after duplicating) starts afresh.
        key={templateId}
        id={templateId}
        calendar={calendar.data?.calendar ?? OPEN_AROUND_THE_CLOCK}
        hasCalendar={calendar.data ? !calendar.data.isDefault : false}
        members={(members.data ?? []).map((member) => ({
          id: member.userId,
          name: member.fullName,
        }))}
        canEdit={(template) => canEditTemplate(organisation.role, user.id, template)}
        onEdit={(template) => navigate(paths.app.editSequenceTemplate.getHref(template.id))}
        onDuplicate={(template) =>
          duplicate.mutate({
            organisationId: organisation.id,
            id: template.id,
            name: template.name,
          })
        }
        isDuplicating={duplicate.isPending}
        onDelete={setDeleting}
        onToggleActive={(template, active) =>
          toggle.mutate({
            organisationId: organisation.id,
            id: template.id,
            is_active: active,
            name: template.name,
          })
        }
      />
      <DeleteSequenceTemplateDialog
        template={deleting}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        onDeleted={() => navigate(paths.app.sequenceTemplates.getHref(), { replace: true })}
      />
    </>
  );
}
