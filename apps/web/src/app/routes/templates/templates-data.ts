import { templateQueries } from '@/features/templates/api/queries';
import type { RouteData } from '../../route-data';

/** Both template lists (the task list shows which message template each uses). */
export const templatesData: RouteData = ({ organisationId }) => [
  templateQueries.taskTemplates(organisationId),
  templateQueries.messageTemplates(organisationId),
];
