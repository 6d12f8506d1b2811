import { useState } from 'react';
import { Navigate, RouterProvider, createBrowserRouter } from 'react-router';
import { FullPageSpinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { AppRoot } from './routes/app/root';
import { RouteError } from './routes/route-error';

export function createAppRouter() {
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
            { path: paths.app.tasks.path, lazy: () => import('./routes/tasks/tasks') },
            {
              path: paths.app.restaurants.path,
              lazy: () => import('./routes/restaurants/restaurants'),
            },
            {
              path: paths.app.restaurant.path,
              lazy: () => import('./routes/restaurants/restaurant'),
            },
            {
              path: paths.app.sequenceTemplates.path,
              lazy: () => import('./routes/sequence-templates/sequence-templates'),
            },
            {
              path: paths.app.newSequenceTemplate.path,
              lazy: () => import('./routes/sequence-templates/sequence-template-builder'),
            },
            {
              path: paths.app.sequenceTemplate.path,
              lazy: () => import('./routes/sequence-templates/sequence-template'),
            },
            {
              path: paths.app.editSequenceTemplate.path,
              lazy: () => import('./routes/sequence-templates/sequence-template-builder'),
            },
            { path: paths.app.templates.path, lazy: () => import('./routes/templates/templates') },
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
            { path: paths.app.workflow.path, lazy: () => import('./routes/workflows/workflow') },
            {
              path: paths.app.editWorkflow.path,
              lazy: () => import('./routes/workflows/workflow-editor'),
            },
            { path: paths.app.jobs.path, lazy: () => import('./routes/jobs/jobs') },
            { path: paths.app.job.path, lazy: () => import('./routes/jobs/job') },
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
            { path: '*', lazy: () => import('./routes/not-found') },
          ],
        },
      ],
    },
  ]);
}

export function AppRouter() {
  const [router] = useState(createAppRouter);
  return <RouterProvider router={router} />;
}
