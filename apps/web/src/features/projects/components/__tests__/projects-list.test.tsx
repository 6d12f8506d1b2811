import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { ProjectFilters } from '../../api/queries';
import { ProjectsList } from '../projects-list';

const project = (n: number) => ({
  id: `60000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
  slug: `project-${n}`,
  name: `Project ${n}`,
  description: null,
  status: 'active',
  environment_id: n === 21 ? '50000000-0000-4000-8000-000000000001' : null,
  updated_at: '2026-12-01T09:00:00Z',
});

const fetchMock = vi.fn<typeof fetch>();
const urls = () =>
  fetchMock.mock.calls.map(
    ([input]) => new URL(input instanceof Request ? input.url : String(input)),
  );

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function setup(filters: ProjectFilters) {
  const setFilters = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <ProjectsList
      organisationId={testOrganisation.id}
      filters={filters}
      setFilters={setFilters}
      environmentNames={new Map([['50000000-0000-4000-8000-000000000001', 'staging']])}
    />,
  );
  return { user, setFilters };
}

describe('ProjectsList', () => {
  it('searches name and slug on the server, a page of 20 at a time', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([project(21), project(22)], { total: 22 }));
    const { user, setFilters } = setup({ q: 'lead, co*', status: 'active', page: 2 });
    expect(await screen.findByRole('link', { name: 'Project 21' })).toBeInTheDocument();
    const url = urls()[0]!;
    expect(url.pathname).toBe('/rest/v1/projects');
    // Quoted, so the comma is text; a typed * matches anything rather than breaking the filter.
    expect(url.searchParams.get('or')).toBe('(name.ilike."*lead, co**",slug.ilike."*lead, co**")');
    expect(url.searchParams.get('status')).toBe('eq.active');
    expect(url.searchParams.get('organisation_id')).toBe(`eq.${testOrganisation.id}`);
    expect(url.searchParams.get('offset')).toBe('20');
    expect(url.searchParams.get('limit')).toBe('20');
    expect(screen.getByText(/runs with staging/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(setFilters).toHaveBeenCalledWith({ page: 1 });
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
  });

  it('says when nothing matches and offers every project', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([], { total: 0 }));
    const { user, setFilters } = setup({ q: 'zzz', status: 'active', page: 1 });
    expect(await screen.findByText('No projects match')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show all projects' }));
    await waitFor(() => expect(setFilters).toHaveBeenCalledWith({ q: '', status: 'all' }));
  });
});
