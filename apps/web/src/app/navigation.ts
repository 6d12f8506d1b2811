import { ListTodo, Store } from 'lucide-react';
import type { NavigationItem } from '@/components/layouts/app-layout';
import { paths } from '@/config/paths';

// The sidebar. Sections appear here as they ship (Tasks, Sequences, Workflows,
// Jobs, Projects): no links to pages that don't exist yet.
export const navigation: NavigationItem[] = [
  { name: 'My tasks', to: paths.app.tasks.getHref(), icon: ListTodo },
  { name: 'Restaurants', to: paths.app.restaurants.getHref(), icon: Store },
];
