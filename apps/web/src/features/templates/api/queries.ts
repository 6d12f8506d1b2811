import { queryOptions } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

/** A task template, with the subject and text of its message template (to prefill a task). */
export type TaskTemplate = Tables<'task_templates'> & {
  message_template?: Pick<Tables<'message_templates'>, 'subject' | 'message_content'> | null;
};
export type MessageTemplate = Tables<'message_templates'>;

export async function getTaskTemplates(organisationId: string): Promise<TaskTemplate[]> {
  const { data, error } = await supabase
    .from('task_templates')
    .select('*, message_template:message_templates(subject, message_content)')
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId)
    .order('name')
    .order('id')
    .overrideTypes<TaskTemplate[], { merge: false }>();
  if (error) raise(error);
  return data;
}

export async function getMessageTemplates(organisationId: string): Promise<MessageTemplate[]> {
  const { data, error } = await supabase
    .from('message_templates')
    .select('*')
    .eq('organisation_id', organisationId)
    .order('name')
    .order('id');
  if (error) raise(error);
  return data;
}

export async function getMessageTemplate(
  organisationId: string,
  id: string,
): Promise<MessageTemplate> {
  const { data, error } = await supabase
    .from('message_templates')
    .select('*')
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data) {
    throw new AppError(
      'This message template doesn’t exist, or it belongs to another organisation.',
      { code: 'not_found' },
    );
  }
  return data;
}

/** What a message preview needs to know about a restaurant. */
export type PreviewRestaurant = Pick<
  Tables<'restaurants'>,
  | 'id'
  | 'name'
  | 'contact_name'
  | 'contact_email'
  | 'contact_phone'
  | 'city'
  | 'cuisine'
  | 'assigned_sales_rep'
>;

export const PREVIEW_RESTAURANTS_LIMIT = 200;

/** Restaurants to preview a message against, by name. */
export async function getPreviewRestaurants(organisationId: string): Promise<PreviewRestaurant[]> {
  const { data, error } = await supabase
    .from('restaurants')
    .select(
      'id, name, contact_name, contact_email, contact_phone, city, cuisine, assigned_sales_rep',
    )
    .eq('organisation_id', organisationId)
    .order('name')
    .order('id')
    .limit(PREVIEW_RESTAURANTS_LIMIT);
  if (error) raise(error);
  return data;
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const templateQueries = {
  taskTemplatesAll: (organisationId: string) => ['orgs', organisationId, 'task-templates'] as const,
  taskTemplates: (organisationId: string) =>
    queryOptions({
      queryKey: [...templateQueries.taskTemplatesAll(organisationId), 'list'] as const,
      queryFn: () => getTaskTemplates(organisationId),
    }),
  messageTemplatesAll: (organisationId: string) =>
    ['orgs', organisationId, 'message-templates'] as const,
  messageTemplates: (organisationId: string) =>
    queryOptions({
      queryKey: [...templateQueries.messageTemplatesAll(organisationId), 'list'] as const,
      queryFn: () => getMessageTemplates(organisationId),
    }),
  messageTemplate: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...templateQueries.messageTemplatesAll(organisationId), 'detail', id] as const,
      queryFn: () => getMessageTemplate(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  // The restaurants' own keys belong to the restaurants feature. Restaurants are edited on
  // another page, so the preview looks again whenever an editor opens instead.
  previewRestaurants: (organisationId: string) =>
    queryOptions({
      queryKey: [
        ...templateQueries.messageTemplatesAll(organisationId),
        'preview-restaurants',
      ] as const,
      queryFn: () => getPreviewRestaurants(organisationId),
      staleTime: 0,
    }),
};
