import { Plus } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Button, ButtonLink } from '@/components/ui/button';
import { SearchInput } from '@/components/ui/search-input';
import { paths } from '@/config/paths';
import type { MessageTemplate, TaskTemplate } from '@/features/templates/api/queries';
import {
  DeleteTemplateDialog,
  type TemplateToDelete,
} from '@/features/templates/components/delete-template-dialog';
import { TaskTemplateDialog } from '@/features/templates/components/task-template-dialogs';
import {
  MessageTemplatesList,
  TaskTemplatesList,
} from '@/features/templates/components/templates-lists';
import { useUser } from '@/lib/auth';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import { canEditTemplate } from '@/lib/permissions';

const tabs = [
  { id: 'tasks', label: 'Task templates' },
  { id: 'messages', label: 'Message templates' },
] as const;
type Tab = (typeof tabs)[number]['id'];

export function Component() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'messages' ? 'messages' : 'tasks';
  const q = params.get('q') ?? '';
  const [dialog, setDialog] = useState<{ template: TaskTemplate | null } | null>(null);
  const [deleting, setDeleting] = useState<TemplateToDelete | null>(null);

  const setTab = (next: Tab) => setParams(next === 'tasks' ? {} : { tab: next });
  const setQuery = (value: string) => {
    const out = new URLSearchParams(params);
    if (value) out.set('q', value);
    else out.delete('q');
    setParams(out, { replace: true });
  };
  const canEdit = (template: TaskTemplate | MessageTemplate) =>
    canEditTemplate(organisation.role, user.id, template);

  // Tabs pattern: arrows move between tabs, the panel follows.
  const onTabKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const next = tab === 'tasks' ? 'messages' : 'tasks';
    setTab(next);
    document.getElementById(`templates-tab-${next}`)?.focus();
  };

  return (
    <div className="space-y-6">
      <title>{`Templates · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Templates</h1>
          <p className="mt-1 text-sm text-slate-600">
            Tasks and messages your team reuses, in sequences and on restaurants.
          </p>
        </div>
        {tab === 'tasks' ? (
          <Button onClick={() => setDialog({ template: null })}>
            <Plus className="size-4" aria-hidden />
            New task template
          </Button>
        ) : (
          <ButtonLink to={paths.app.newMessageTemplate.getHref()} variant="primary">
            <Plus className="size-4" aria-hidden />
            New message template
          </ButtonLink>
        )}
      </header>

      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="flex flex-col gap-3 border-b border-slate-200 px-3 pt-3 sm:flex-row sm:items-end sm:justify-between sm:px-4">
          <div role="tablist" aria-label="Template kinds" className="-mb-px flex gap-1">
            {tabs.map((item) => (
              <button
                key={item.id}
                id={`templates-tab-${item.id}`}
                type="button"
                role="tab"
                aria-selected={tab === item.id}
                aria-controls="templates-panel"
                tabIndex={tab === item.id ? 0 : -1}
                onKeyDown={onTabKeyDown}
                onClick={() => setTab(item.id)}
                className={cn(
                  'border-b-2 px-3 py-2.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600',
                  tab === item.id
                    ? 'border-brand-600 text-brand-700'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900',
                )}
              >
                {item.label}
              </button>
            ))}
          </div>
          <div className="pb-3 sm:w-72">
            <SearchInput
              label="Search templates"
              value={q}
              onChange={(event) => setQuery(event.target.value)}
              placeholder="Search templates"
            />
          </div>
        </div>
        <div
          id="templates-panel"
          role="tabpanel"
          aria-labelledby={`templates-tab-${tab}`}
          tabIndex={-1}
        >
          {tab === 'tasks' ? (
            <TaskTemplatesList
              q={q}
              canEdit={canEdit}
              onClearSearch={() => setQuery('')}
              onCreate={() => setDialog({ template: null })}
              onEdit={(template) => setDialog({ template })}
              onDelete={(template) =>
                setDeleting({ kind: 'task', id: template.id, name: template.name })
              }
            />
          ) : (
            <MessageTemplatesList
              q={q}
              canEdit={canEdit}
              onClearSearch={() => setQuery('')}
              onDelete={(template) =>
                setDeleting({ kind: 'message', id: template.id, name: template.name })
              }
            />
          )}
        </div>
      </div>

      <TaskTemplateDialog
        open={dialog !== null}
        onOpenChange={(open) => (open ? undefined : setDialog(null))}
        template={dialog?.template ?? null}
      />
      <DeleteTemplateDialog
        template={deleting}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
      />
    </div>
  );
}
