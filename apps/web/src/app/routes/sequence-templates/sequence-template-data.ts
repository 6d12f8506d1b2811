import { organisationQueries } from '@/features/organisations/api/queries';
import { sequenceTemplateQueries } from '@/features/sequence-templates/api/queries';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { templateQueries } from '@/features/templates/api/queries';
import type { RouteData } from '../../route-data';

/** A sequence template's page: the template, its figures, the calendar and the members. */
export const sequenceTemplateData: RouteData = ({ organisationId, params }) => {
  const id = params.templateId ?? '';
  return [
    sequenceTemplateQueries.detail(organisationId, id),
    sequenceTemplateQueries.stats(organisationId, id),
    businessCalendarQueries.detail(organisationId),
    organisationQueries.members(organisationId),
  ];
};

/** The builder (new or edit): everything its form offers to choose from. */
export const sequenceTemplateBuilderData: RouteData = ({ organisationId, params }) => [
  ...(params.templateId ? [sequenceTemplateQueries.detail(organisationId, params.templateId)] : []),
  businessCalendarQueries.detail(organisationId),
  templateQueries.taskTemplates(organisationId),
  templateQueries.messageTemplates(organisationId),
  organisationQueries.members(organisationId),
  sequenceTemplateQueries.list(organisationId),
];
