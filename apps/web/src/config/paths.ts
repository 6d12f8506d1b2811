// Every URL the app links to, in one place. `path` is the router pattern,
// `getHref` builds a concrete link.
export const paths = {
  home: {
    path: '/',
    getHref: () => '/',
  },
  auth: {
    signIn: {
      path: '/sign-in',
      getHref: (redirectTo?: string | null) =>
        `/sign-in${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`,
    },
    signUp: {
      path: '/sign-up',
      getHref: (redirectTo?: string | null) =>
        `/sign-up${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`,
    },
  },
  app: {
    restaurants: {
      path: '/restaurants',
      getHref: () => '/restaurants',
    },
    restaurantsImport: {
      path: '/restaurants/import',
      getHref: () => '/restaurants/import',
    },
    restaurant: {
      path: '/restaurants/:restaurantId',
      getHref: (id: string) => `/restaurants/${id}`,
    },
    /** A restaurant's page scrolled to one of its sequences (tasks' "Step 2 of 5" links). */
    restaurantSequence: {
      getHref: (restaurantId: string, instanceId: string) =>
        `/restaurants/${restaurantId}#sequence-${instanceId}`,
    },
    tasks: {
      path: '/tasks',
      getHref: () => '/tasks',
    },
    pipeline: {
      path: '/pipeline',
      getHref: () => '/pipeline',
    },
    sequenceTemplates: {
      path: '/sequence-templates',
      getHref: () => '/sequence-templates',
    },
    newSequenceTemplate: {
      path: '/sequence-templates/new',
      getHref: () => '/sequence-templates/new',
    },
    sequenceTemplate: {
      path: '/sequence-templates/:templateId',
      getHref: (id: string) => `/sequence-templates/${id}`,
    },
    editSequenceTemplate: {
      path: '/sequence-templates/:templateId/edit',
      getHref: (id: string) => `/sequence-templates/${id}/edit`,
    },
    templates: {
      path: '/templates',
      getHref: (tab?: 'tasks' | 'messages') => `/templates${tab ? `?tab=${tab}` : ''}`,
    },
    newMessageTemplate: {
      path: '/templates/messages/new',
      getHref: () => '/templates/messages/new',
    },
    messageTemplate: {
      path: '/templates/messages/:messageTemplateId',
      getHref: (id: string) => `/templates/messages/${id}`,
    },
    workflows: {
      path: '/workflows',
      getHref: () => '/workflows',
    },
    newWorkflow: {
      path: '/workflows/new',
      getHref: () => '/workflows/new',
    },
    workflow: {
      path: '/workflows/:workflowId',
      getHref: (id: string) => `/workflows/${id}`,
    },
    editWorkflow: {
      path: '/workflows/:workflowId/edit',
      getHref: (id: string) => `/workflows/${id}/edit`,
    },
    jobs: {
      path: '/jobs',
      /** `search` is a query string without the "?" (e.g. the filters for one workflow). */
      getHref: (search?: string) => `/jobs${search ? `?${search}` : ''}`,
    },
    job: {
      path: '/jobs/:jobId',
      getHref: (id: string) => `/jobs/${id}`,
    },
    monitoring: {
      path: '/monitoring',
      getHref: () => '/monitoring',
    },
    projects: {
      path: '/projects',
      getHref: () => '/projects',
    },
    project: {
      path: '/projects/:projectId',
      getHref: (id: string) => `/projects/${id}`,
    },
    flowSequence: {
      path: '/projects/:projectId/sequences/:sequenceId',
      getHref: (projectId: string, sequenceId: string) =>
        `/projects/${projectId}/sequences/${sequenceId}`,
    },
    flowRun: {
      path: '/flow-runs/:runId',
      getHref: (id: string) => `/flow-runs/${id}`,
    },
    environments: {
      path: '/environments',
      getHref: () => '/environments',
    },
    environment: {
      path: '/environments/:environmentId',
      getHref: (id: string) => `/environments/${id}`,
    },
    trash: {
      path: '/trash',
      getHref: () => '/trash',
    },
    settings: {
      path: '/settings',
      getHref: () => '/settings',
    },
    businessCalendar: {
      path: '/settings/business-calendar',
      getHref: () => '/settings/business-calendar',
    },
    /** The organisation's allowed hosts; a host_not_allowed job error links here. */
    connections: {
      path: '/settings/connections',
      getHref: () => '/settings/connections',
    },
    transformers: {
      path: '/settings/transformers',
      getHref: () => '/settings/transformers',
    },
    members: {
      path: '/members',
      getHref: () => '/members',
    },
    /** The link an invitee is sent (the token is the invitation's secret). */
    invitation: {
      path: '/invitations/:token',
      getHref: (token: string) => `/invitations/${token}`,
    },
  },
} as const;

/** Only same-origin paths may be used as a post-sign-in destination. */
export function safeRedirect(
  to: string | null | undefined,
  fallback: string = paths.home.getHref(),
) {
  if (!to || !to.startsWith('/') || to.startsWith('//')) return fallback;
  return to;
}
