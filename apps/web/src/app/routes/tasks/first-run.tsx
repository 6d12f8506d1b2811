import { useQueryClient } from '@tanstack/react-query';
import { paths } from '@/config/paths';
import { FirstRunChecklist } from '@/features/onboarding/components/first-run-checklist';
import { sequenceTemplateQueries } from '@/features/sequence-templates/api/queries';
import { templateQueries } from '@/features/templates/api/queries';
import { useUser } from '@/lib/auth';
import { useCurrentOrganisation } from '@/lib/organisation';

/** The first-run checklist on the home page (My tasks), wired to the pages it points at. */
export function HomeFirstRun() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const queryClient = useQueryClient();
  return (
    <FirstRunChecklist
      organisationId={organisation.id}
      userId={user.id}
      role={organisation.role}
      links={{
        importRestaurants: paths.app.restaurantsImport.getHref(),
        addRestaurant: { to: paths.app.restaurants.getHref(), state: { addRestaurant: true } },
        sequences: paths.app.sequenceTemplates.getHref(),
        sequence: paths.app.sequenceTemplate.getHref,
        members: paths.app.members.getHref(),
      }}
      onCopied={() => {
        for (const queryKey of [
          sequenceTemplateQueries.all(organisation.id),
          templateQueries.messageTemplatesAll(organisation.id),
          templateQueries.taskTemplatesAll(organisation.id),
        ])
          void queryClient.invalidateQueries({ queryKey });
      }}
    />
  );
}
