import {
  taskPriorityLabels,
  taskPrioritySchema,
  taskTypeLabels,
  taskTypeSchema,
} from '@forkflow/domain/sequence-template';
import { useQuery } from '@tanstack/react-query';
import { ClipboardList, MessageSquareText, Pencil, SearchX, Trash2 } from 'lucide-react';
import { Link } from 'react-router';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { templateQueries, type MessageTemplate, type TaskTemplate } from '../api/queries';

type Common<T> = {
  q: string;
  canEdit: (template: T) => boolean;
  onDelete: (template: T) => void;
  onClearSearch: () => void;
};

const priorityTones: Record<string, BadgeTone> = { low: 'slate', medium: 'sky', high: 'orange' };

const matches = (q: string, ...fields: Array<string | null>) => {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = fields.join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
};

const usage = (count: number) => (count === 0 ? 'Not used yet' : `Used ${count}×`);

function ListSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-label={label} className="divide-y divide-slate-100">
      {Array.from({ length: 5 }, (_, index) => (
        <div key={index} className="flex items-center gap-6 px-5 py-4">
          <div className="flex-1 space-y-2">
            <Skeleton className="h-4 w-48 max-w-full" />
            <Skeleton className="h-3 w-72 max-w-full" />
          </div>
          <Skeleton className="hidden h-5 w-16 rounded-full md:block" />
          <Skeleton className="h-8 w-16" />
        </div>
      ))}
    </div>
  );
}

function NoMatches({ q, onClear }: { q: string; onClear: () => void }) {
  return (
    <EmptyState
      icon={<SearchX className="size-6" aria-hidden />}
      title="No templates match"
      description={`Nothing matches “${q}”.`}
      action={
        <Button variant="secondary" onClick={onClear}>
          Clear search
        </Button>
      }
    />
  );
}

export function TaskTemplatesList({
  q,
  canEdit,
  onDelete,
  onClearSearch,
  onEdit,
  onCreate,
}: Common<TaskTemplate> & { onEdit: (template: TaskTemplate) => void; onCreate: () => void }) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(templateQueries.taskTemplates(organisation.id));
  const messages = useQuery(templateQueries.messageTemplates(organisation.id));

  if (query.isPending) return <ListSkeleton label="Loading task templates" />;
  if (!query.data) {
    return (
      <ErrorState
        title="Couldn't load task templates"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }
  if (query.data.length === 0) {
    return (
      <EmptyState
        icon={<ClipboardList className="size-6" aria-hidden />}
        title="No task templates yet"
        description="A task template is a task you create often — an intro call, a follow-up email — ready to use in sequences and on restaurants."
        action={<Button onClick={onCreate}>New task template</Button>}
      />
    );
  }
  const messageNames = new Map((messages.data ?? []).map((m) => [m.id, m.name]));
  const rows = query.data.filter((template) =>
    matches(q, template.name, template.description, template.default_message),
  );
  if (rows.length === 0) return <NoMatches q={q} onClear={onClearSearch} />;

  return (
    <ul aria-label="Task templates" className="divide-y divide-slate-100">
      {rows.map((template) => {
        const type = taskTypeSchema.catch('internal_activity').parse(template.type);
        const priority = taskPrioritySchema.catch('medium').parse(template.priority);
        const editable = canEdit(template);
        const message = template.message_template_id
          ? `Message: ${messageNames.get(template.message_template_id) ?? 'a message template'}`
          : template.default_message
            ? 'Own message'
            : null;
        return (
          <li
            key={template.id}
            className="group flex items-start gap-4 px-4 py-3.5 hover:bg-slate-50/60 sm:px-5"
          >
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <p className="font-medium text-slate-900">{template.name}</p>
                {template.is_active ? null : <Badge tone="slate">Inactive</Badge>}
              </div>
              {template.description ? (
                <p className="mt-0.5 line-clamp-2 text-sm text-slate-600">{template.description}</p>
              ) : null}
              <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                <Badge tone="indigo">{taskTypeLabels[type]}</Badge>
                <Badge tone={priorityTones[priority] ?? 'slate'}>
                  {taskPriorityLabels[priority]} priority
                </Badge>
                {message ? <span>{message}</span> : null}
                <span aria-hidden>·</span>
                <span>{usage(template.usage_count)}</span>
              </div>
            </div>
            {editable ? (
              <div className="flex shrink-0 gap-0.5 lg:opacity-60 lg:group-focus-within:opacity-100 lg:group-hover:opacity-100">
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Edit ${template.name}`}
                  onClick={() => onEdit(template)}
                >
                  <Pencil className="size-4" aria-hidden />
                </Button>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Delete ${template.name}`}
                  onClick={() => onDelete(template)}
                  className="hover:bg-red-50 hover:text-red-700"
                >
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

export function MessageTemplatesList({
  q,
  canEdit,
  onDelete,
  onClearSearch,
}: Common<MessageTemplate>) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(templateQueries.messageTemplates(organisation.id));

  if (query.isPending) return <ListSkeleton label="Loading message templates" />;
  if (!query.data) {
    return (
      <ErrorState
        title="Couldn't load message templates"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }
  if (query.data.length === 0) {
    return (
      <EmptyState
        icon={<MessageSquareText className="size-6" aria-hidden />}
        title="No message templates yet"
        description="Write an email or text once, with {restaurant_name}-style placeholders, and every task that uses it gets it filled in for its restaurant."
        action={
          <ButtonLink to={paths.app.newMessageTemplate.getHref()} variant="primary">
            New message template
          </ButtonLink>
        }
      />
    );
  }
  const rows = query.data.filter((template) =>
    matches(q, template.name, template.description, template.subject, template.message_content),
  );
  if (rows.length === 0) return <NoMatches q={q} onClear={onClearSearch} />;

  return (
    <ul aria-label="Message templates" className="divide-y divide-slate-100">
      {rows.map((template) => {
        const type = taskTypeSchema.catch('email').parse(template.type);
        const editable = canEdit(template);
        return (
          <li
            key={template.id}
            className="group flex items-start gap-4 px-4 py-3.5 hover:bg-slate-50/60 sm:px-5"
          >
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <Link
                  to={paths.app.messageTemplate.getHref(template.id)}
                  className="font-medium text-slate-900 hover:text-brand-700 focus-visible:underline focus-visible:outline-none"
                >
                  {template.name}
                </Link>
                {template.is_active ? null : <Badge tone="slate">Inactive</Badge>}
              </div>
              <p className="mt-0.5 line-clamp-2 text-sm text-slate-600">
                {template.subject ? (
                  <span className="font-medium text-slate-700">{template.subject} — </span>
                ) : null}
                {template.message_content}
              </p>
              <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                <Badge tone="violet">{taskTypeLabels[type]}</Badge>
                <span>{usage(template.usage_count)}</span>
              </div>
            </div>
            {editable ? (
              <div className="flex shrink-0 gap-0.5 lg:opacity-60 lg:group-focus-within:opacity-100 lg:group-hover:opacity-100">
                <ButtonLink
                  to={paths.app.messageTemplate.getHref(template.id)}
                  variant="ghost"
                  size="icon"
                  aria-label={`Edit ${template.name}`}
                >
                  <Pencil className="size-4" aria-hidden />
                </ButtonLink>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Delete ${template.name}`}
                  onClick={() => onDelete(template)}
                  className="hover:bg-red-50 hover:text-red-700"
                >
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
