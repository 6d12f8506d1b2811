import { useQuery } from '@tanstack/react-query';
import { templateQueries, type TaskTemplate } from '@/features/templates/api/queries';
import type { TaskTemplateOption } from '@/features/tasks/api/queries';
import { useCurrentOrganisation } from '@/lib/organisation';

const activeOptions = (templates: TaskTemplate[]): TaskTemplateOption[] =>
  templates
    .filter((template) => template.is_active)
    .map((template) => ({
      id: template.id,
      name: template.name,
      description: template.description,
      type: template.type,
      priority: template.priority,
      default_message: template.default_message,
      message_template_id: template.message_template_id,
      message_template: template.message_template ?? null,
    }));

/**
 * The active task templates "Add task" prefills from, out of the templates feature's one
 * cache of them. Fetched when the dialog opens, and again each time (they are edited on
 * another page).
 */
export function useTaskTemplateOptions(open: boolean) {
  const organisation = useCurrentOrganisation();
  return useQuery({
    ...templateQueries.taskTemplates(organisation.id),
    select: activeOptions,
    enabled: open,
    staleTime: 0,
  });
}
