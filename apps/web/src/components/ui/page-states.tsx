import { ArrowLeft } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { AppError, getErrorMessage } from '@/lib/errors';
import { ErrorState } from './states';

/** The link above a page's title back to where it was opened from. */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link
      to={to}
      className="inline-flex items-center gap-1.5 rounded text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {children}
    </Link>
  );
}

/** What a query reports about its failure (a `useQuery` result fits). */
type FailedQuery = { error: unknown; isFetching: boolean; refetch: () => unknown };

/**
 * A record that couldn't be shown. Not found (or not the user's) offers no retry: trying
 * again won't make it appear. Any other failure can be retried.
 */
export function LoadFailure({
  query,
  notFoundTitle,
  errorTitle,
}: {
  query: FailedQuery;
  notFoundTitle: string;
  errorTitle: string;
}) {
  const notFound = query.error instanceof AppError && query.error.code === 'not_found';
  return (
    <div className="rounded-xl bg-white ring-1 ring-slate-200">
      <ErrorState
        title={notFound ? notFoundTitle : errorTitle}
        message={getErrorMessage(query.error)}
        {...(notFound ? {} : { onRetry: () => void query.refetch(), isRetrying: query.isFetching })}
      />
    </div>
  );
}

/**
 * A detail page until its record is there: the back link over the page's skeleton while
 * it loads (announced by `label`), or over the reason it failed.
 */
export function DetailPlaceholder({
  back,
  query,
  label,
  notFoundTitle,
  errorTitle,
  children,
}: {
  back: ReactNode;
  query: FailedQuery & { isPending: boolean };
  label: string;
  notFoundTitle: string;
  errorTitle: string;
  /** The skeleton shown while loading. */
  children: ReactNode;
}) {
  return (
    <div className="space-y-6">
      {back}
      {query.isPending ? (
        <div role="status" aria-label={label} className="space-y-6">
          {children}
        </div>
      ) : (
        <LoadFailure query={query} notFoundTitle={notFoundTitle} errorTitle={errorTitle} />
      )}
    </div>
  );
}
