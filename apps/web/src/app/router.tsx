import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Navigate,
  RouterProvider,
  createBrowserRouter,
  type ShouldRevalidateFunction,
} from 'react-router';
import { FullPageSpinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { loadRouteData, type RouteData } from './route-data';
import { AppRoot } from './routes/app/root';
import { RouteError } from './routes/route-error';

// Loaders start a page's queries on the way in only: a filter change in the URL refetches
// through the page's own queries, without holding the URL back until data arrives.
const onEntryOnly: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate && currentUrl.pathname !== nextUrl.pathname;

export function createAppRouter(queryClient: QueryClient) {
  // Static (not in the lazy module), so the data module and the page's code load together.
  const withData = (load: () => Promise<RouteData>) => ({
    loader: loadRouteData(queryClient, load),
    shouldRevalidate: onEntryOnly,
  });
  return createBrowserRouter([
    {
      errorElement: <RouteError />,
      hydrateFallbackElement: <FullPageSpinner />,
      children: [
        { path: paths.auth.signIn.path, lazy: () => import('./routes/auth/sign-in') },
        { path: paths.auth.signUp.path, lazy: () => import('./routes/auth/sign-up') },
        {
          path: paths.home.path,
          element: <AppRoot />,
          children: [
            // A rep's day starts with their tasks.
            { index: true, element: <Navigate to={paths.app.tasks.getHref()} replace /> },
            {
              path: paths.app.tasks.path,
              lazy: () => import('./routes/tasks/tasks'),
              ...withData(() => import('./routes/tasks/tasks-data').then((m) => m.tasksData)),
            },
            {
              path: paths.app.restaurants.path,
              lazy: () => import('./routes/restaurants/restaurants'),
            },
            {
              path: paths.app.restaurantsImport.path,
              lazy: () => import('./routes/restaurants/restaurant-import'),
            },
            {
              path: paths.app.restaurant.path,
              lazy: () => import('./routes/restaurants/restaurant'),
              ...withData(() =>
                import('./routes/restaurants/restaurant-data').then((m) => m.restaurantData),
              ),
            },
            { path: paths.app.pipeline.path, lazy: () => import('./routes/pipeline/pipeline') },
            {
              path: paths.app.sequenceTemplates.path,
              lazy: () => import('./routes/sequence-templates/sequence-templates'),
            },
            {
              path: paths.app.newSequenceTemplate.path,
              lazy: () => import('./routes/sequence-templates/sequence-template-builder'),
              ...withData(sequenceTemplateBuilderData),
            },
            {
              path: paths.app.sequenceTemplate.path,
              lazy: () => import('./routes/sequence-templates/sequence-template'),
              ...withData(() =>
                import('./routes/sequence-templates/sequence-template-data').then(
                  (m) => m.sequenceTemplateData,
                ),
              ),
            },
            {
              path: paths.app.editSequenceTemplate.path,
              lazy: () => import('./routes/sequence-templates/sequence-template-builder'),
              ...withData(sequenceTemplateBuilderData),
            },
            {
              path: paths.app.templates.path,
              lazy: () => import('./routes/templates/templates'),
              ...withData(() =>
                import('./routes/templates/templates-data').then((m) => m.templatesData),
              ),
            },
            {
              path: paths.app.newMessageTemplate.path,
              lazy: () => import('./routes/templates/message-template'),
            },
            {
              path: paths.app.messageTemplate.path,
              lazy: () => import('./routes/templates/message-template'),
            },
            { path: paths.app.workflows.path, lazy: () => import('./routes/workflows/workflows') },
            {
              path: paths.app.newWorkflow.path,
              lazy: () => import('./routes/workflows/workflow-editor'),
            },
            {
              path: paths.app.workflow.path,
              lazy: () => import('./routes/workflows/workflow'),
              ...withData(() =>
                import('./routes/workflows/workflow-data').then((m) => m.workflowData),
              ),
            },
            {
              path: paths.app.editWorkflow.path,
              lazy: () => import('./routes/workflows/workflow-editor'),
            },
            { path: paths.app.jobs.path, lazy: () => import('./routes/jobs/jobs') },
            {
              path: paths.app.job.path,
              lazy: () => import('./routes/jobs/job'),
              ...withData(() => import('./routes/jobs/job-data').then((m) => m.jobData)),
            },
            {
              path: paths.app.monitoring.path,
              lazy: () => import('./routes/monitoring/monitoring'),
            },
            {
              path: paths.app.settings.path,
              element: <Navigate to={paths.app.businessCalendar.getHref()} replace />,
            },
            {
              path: paths.app.businessCalendar.path,
              lazy: () => import('./routes/settings/business-calendar'),
            },
            {
              path: paths.app.connections.path,
              lazy: () => import('./routes/settings/connections'),
            },
            {
              path: paths.app.transformers.path,
              lazy: () => import('./routes/settings/transformers'),
            },
            { path: paths.app.projects.path, lazy: () => import('./routes/projects/projects') },
            { path: paths.app.project.path, lazy: () => import('./routes/projects/project') },
            {
              path: paths.app.flowSequence.path,
              lazy: () => import('./routes/projects/flow-sequence'),
            },
            { path: paths.app.flowRun.path, lazy: () => import('./routes/projects/flow-run') },
            {
              path: paths.app.environments.path,
              lazy: () => import('./routes/environments/environments'),
            },
            {
              path: paths.app.environment.path,
              lazy: () => import('./routes/environments/environment'),
            },
            { path: paths.app.members.path, lazy: () => import('./routes/members/members') },
            { path: paths.app.trash.path, lazy: () => import('./routes/trash/trash') },
            {
              path: paths.app.invitation.path,
              lazy: () => import('./routes/members/invitation'),
            },
            { path: '*', lazy: () => import('./routes/not-found') },
          ],
        },
      ],
    },
  ]);
}

const sequenceTemplateBuilderData = () =>
  import('./routes/sequence-templates/sequence-template-data').then(
    (m) => m.sequenceTemplateBuilderData,
  );

export function AppRouter() {
  const queryClient = useQueryClient();
  const [router] = useState(() => createAppRouter(queryClient));
  return <RouterProvider router={router} />;
}
