import { useCallback, useContext, useMemo } from 'react';
import { UNSAFE_DataRouterStateContext, useLocation, useSearchParams } from 'react-router';

/** A change to some filters; `undefined` puts a filter back to its default. */
export type FiltersPatch<F> = Partial<{ [K in keyof F]: F[K] | undefined }>;

/** Every key the URL may carry, with its default (`undefined`: none, i.e. not filtered). */
export type FilterDefaults<F> = { [K in keyof Required<F>]: F[K] | undefined };

/**
 * A page's filters, kept in the URL so reload, links and Back all work. Defaults are left out
 * of the URL, keys in the order of `defaults`. A `page` key goes back to its default whenever
 * anything else changes. `filterKeys` (all keys unless given) are what "Clear filters" resets
 * and what `hasFilters` looks at; a sort order, say, is not a filter.
 */
export function useUrlFilters<F extends object>({
  parse,
  defaults,
  filterKeys = Object.keys(defaults) as Array<keyof F>,
}: {
  parse: (params: URLSearchParams) => F;
  defaults: FilterDefaults<F>;
  filterKeys?: ReadonlyArray<keyof F>;
}) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parse(params), [parse, params]);
  const leaving = useLeavingPage();

  const setFilters = useCallback(
    (patch: FiltersPatch<F>, options: { replace?: boolean } = {}) => {
      // A click must win over a late filter write: a search typed just before clicking a row
      // is written 300 ms later (debounced), and a navigation started then would cancel the
      // click's navigation while its route still loads (seen under load in the e2e tests and
      // by reps: /restaurants?q=sp instead of the restaurant they clicked).
      if (leaving) return;
      setParams(
        (current) => {
          const next: Record<string, unknown> = { ...parse(current), ...patch };
          if ('page' in defaults && !('page' in patch)) {
            next.page = (defaults as Record<string, unknown>).page;
          }
          return filtersToParams(next, defaults);
        },
        { replace: options.replace ?? false },
      );
    },
    [parse, defaults, setParams, leaving],
  );

  const hasFilters = filterKeys.some((key) => !sameValue(filters[key], defaults[key]));

  const clearFilters = useCallback(
    () =>
      setFilters(
        Object.fromEntries(filterKeys.map((key) => [key, defaults[key]])) as FiltersPatch<F>,
      ),
    [setFilters, filterKeys, defaults],
  );

  return { filters, setFilters, hasFilters, clearFilters };
}

/**
 * True while the router is loading another page than this one. Only a data router knows (the
 * app's is one); under a plain router (component tests) nothing is ever pending.
 */
function useLeavingPage(): boolean {
  const routerState = useContext(UNSAFE_DataRouterStateContext);
  const { pathname } = useLocation();
  const navigation = routerState?.navigation;
  if (!navigation || navigation.state === 'idle') return false;
  return navigation.location.pathname !== pathname;
}

/** '' and undefined both mean "not filtered". */
const sameValue = (a: unknown, b: unknown) =>
  (a === '' ? undefined : a) === (b === '' ? undefined : b);

function filtersToParams(filters: Record<string, unknown>, defaults: object): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = filters[key];
    if (value === undefined || value === null || value === '' || sameValue(value, fallback))
      continue;
    out.set(key, String(value));
  }
  return out;
}
