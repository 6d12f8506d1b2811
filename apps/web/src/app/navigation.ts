import {
  Activity,
  Columns3,
  FileText,
  FolderKanban,
  GitBranch,
  KeyRound,
  ListChecks,
  ListTodo,
  Settings,
  Store,
  Trash2,
  Users,
  Workflow,
} from 'lucide-react';
import type { NavigationItem } from '@/components/layouts/app-layout';
import { paths } from '@/config/paths';

// The sidebar. Sections appear here as they ship (Tasks, Sequences, Workflows,
// Jobs, Projects): no links to pages that don't exist yet.
export const navigation: NavigationItem[] = [
  { name: 'My tasks', to: paths.app.tasks.getHref(), icon: ListTodo },
  { name: 'Restaurants', to: paths.app.restaurants.getHref(), icon: Store },
  { name: 'Pipeline', to: paths.app.pipeline.getHref(), icon: Columns3 },
  { name: 'Sequences', to: paths.app.sequenceTemplates.getHref(), icon: Workflow },
  { name: 'Templates', to: paths.app.templates.getHref(), icon: FileText },
  { name: 'Workflows', to: paths.app.workflows.getHref(), icon: GitBranch },
  { name: 'Projects', to: paths.app.projects.getHref(), icon: FolderKanban },
  { name: 'Environments', to: paths.app.environments.getHref(), icon: KeyRound },
  { name: 'Jobs', to: paths.app.jobs.getHref(), icon: ListChecks },
  { name: 'Monitoring', to: paths.app.monitoring.getHref(), icon: Activity },
  { name: 'Members', to: paths.app.members.getHref(), icon: Users },
  { name: 'Trash', to: paths.app.trash.getHref(), icon: Trash2 },
  { name: 'Settings', to: paths.app.settings.getHref(), icon: Settings },
];
