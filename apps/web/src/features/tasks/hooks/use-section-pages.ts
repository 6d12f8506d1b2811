import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useCurrentOrganisation } from '@/lib/organisation';
import {
  TASK_PAGE_SIZE,
  cursorOf,
  taskQueries,
  type MyTaskSectionId,
  type TaskCursor,
  type TaskListItem,
  type TaskPageRequest,
  type TaskQuery,
} from '../api/queries';
import { mergePages } from '../utils/group-tasks';

export type SectionPages = {
  section: MyTaskSectionId;
  tasks: TaskListItem[];
  /** The first page has not answered yet. */
  isPending: boolean;
  error: Error | null;
  /** The last page came back full: there may be more after it. */
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
};

export type SectionsBase = { query: TaskQuery; asOf: string; timeZone: string };

/**
 * My tasks' sections and their pages. Each page is its own query (an array under the task
 * lists' key, so the optimistic complete/skip patches every page). Pages are ranges: "Load
 * more" closes a section's last page at its last row (`through`) and opens the next one after
 * it, so a refetch of an earlier page never shifts rows into or out of the next one.
 *
 * Mount it with a `key` of the filters: other filters start again at the first pages.
 */
export function useSectionPages(base: SectionsBase, sections: readonly MyTaskSectionId[]) {
  const organisation = useCurrentOrganisation();
  const queryClient = useQueryClient();
  // Per section, where each page but the last ends; the last page is open (TASK_PAGE_SIZE).
  const [boundaries, setBoundaries] = useState<Partial<Record<MyTaskSectionId, TaskCursor[]>>>({});

  const requests: TaskPageRequest[][] = useMemo(
    () =>
      sections.map((section) => {
        const ends = boundaries[section] ?? [];
        return Array.from({ length: ends.length + 1 }, (_, index) => ({
          ...base,
          section,
          after: ends[index - 1] ?? null,
          through: ends[index] ?? null,
        }));
      }),
    [base, sections, boundaries],
  );

  const results = useQueries({
    queries: requests.flat().map((request) => taskQueries.page(organisation.id, request)),
  });

  const loadMore = useCallback(
    (section: MyTaskSectionId, lastRequest: TaskPageRequest, rows: TaskListItem[], at: number) => {
      const tail = rows[rows.length - 1];
      if (!tail) return;
      const boundary = cursorOf(tail, section);
      // The open page becomes a closed range holding the same rows: seed that query with
      // them (and their age) so it shows at once instead of fetching again.
      const closed = taskQueries.page(organisation.id, { ...lastRequest, through: boundary });
      queryClient.setQueryData(closed.queryKey, rows, { updatedAt: at });
      setBoundaries((previous) => ({
        ...previous,
        [section]: [...(previous[section] ?? []), boundary],
      }));
    },
    [organisation.id, queryClient],
  );

  // Where each section's results start in the flat list of queries.
  const starts = requests.map((_, index) =>
    requests.slice(0, index).reduce((sum, earlier) => sum + earlier.length, 0),
  );
  const pages: SectionPages[] = requests.map((sectionRequests, index) => {
    const section = sections[index]!;
    const own = results.slice(starts[index], starts[index]! + sectionRequests.length);
    const first = own[0];
    const last = own[own.length - 1];
    const lastRequest = sectionRequests[sectionRequests.length - 1]!;
    const lastRows = last?.data;
    return {
      section,
      tasks: mergePages(own.map((page) => page.data)),
      isPending: first?.isPending ?? true,
      error: own.find((page) => page.error)?.error ?? null,
      hasMore: (lastRows?.length ?? 0) >= TASK_PAGE_SIZE,
      isLoadingMore: own.length > 1 && Boolean(last?.isPending),
      loadMore: () => {
        if (lastRows && last) loadMore(section, lastRequest, lastRows, last.dataUpdatedAt);
      },
    };
  });

  return {
    sections: pages,
    isPending: pages.some((page) => page.isPending),
    isFetching: results.some((result) => result.isFetching),
    /** The first error of a page that has no rows to show instead. */
    error: results.find((result) => result.error && !result.data)?.error ?? null,
    /** A refresh that failed while rows are shown. */
    refreshError: results.find((result) => result.error && result.data)?.error ?? null,
    refetch: () => {
      for (const result of results) void result.refetch();
    },
  };
}
