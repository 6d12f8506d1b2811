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
    restaurant: {
      path: '/restaurants/:restaurantId',
      getHref: (id: string) => `/restaurants/${id}`,
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
