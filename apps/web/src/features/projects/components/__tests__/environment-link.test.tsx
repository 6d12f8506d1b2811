import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { projectQueries, type LinkedEnvironment, type Project } from '../../api/queries';
import { EnvironmentLink } from '../environment-link';

const environment = (n: number, name: string): LinkedEnvironment => ({
  id: `50000000-0000-4000-8000-00000000000${n}`,
  name,
  api_hosts: {},
  variables: [],
});
const staging = environment(1, 'staging');
const production = environment(2, 'production');

const project: Project = {
  id: '60000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  slug: 'lead-enrichment',
  name: 'Lead enrichment',
  description: null,
  status: 'active',
  environment_id: staging.id,
  api_hosts: {},
  variables: [],
  workflow_ids: [],
  created_at: '2026-12-01T09:00:00Z',
  updated_at: '2026-12-01T09:00:00Z',
};

const fetchMock = vi.fn<typeof fetch>();
const calls = () =>
  fetchMock.mock.calls.map(([input, init]) => ({
    path: new URL(input instanceof Request ? input.url : String(input)).pathname,
    body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
  }));

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

/** The project page's cache holds the project; the switch changes it there first. */
function setup() {
  const user = userEvent.setup();
  const key = projectQueries.detail(testOrganisation.id, project.id).queryKey;
  const view = renderWithProviders(
    <EnvironmentLink
      organisationId={testOrganisation.id}
      project={project}
      environments={[production, staging]}
      canManage
    />,
    { organisation: { ...testOrganisation, role: 'owner' } },
  );
  view.queryClient.setQueryData(key, project);
  const cached = () => view.queryClient.getQueryData<Project>(key);
  const state = () => view.queryClient.getQueryState(key);
  return { user, cached, state };
}

describe('EnvironmentLink', () => {
  it('switches staging → production in one click with set_project_environment', async () => {
    // The server answers only when the test says so, to see the switch before it does.
    let answer: (response: Response) => void = () => {};
    fetchMock.mockImplementation((input) => {
      const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
      if (path === '/rest/v1/rpc/set_project_environment') {
        return new Promise<Response>((resolve) => (answer = resolve));
      }
      return Promise.resolve(postgrestResponse({ ...project, environment_id: production.id }));
    });
    const { user, cached, state } = setup();
    await user.click(screen.getByRole('button', { name: 'Switch to production' }));
    await waitFor(() => expect(cached()?.environment_id).toBe(production.id));
    expect(calls()).toEqual([
      {
        path: '/rest/v1/rpc/set_project_environment',
        body: { p_project_id: project.id, p_environment_id: production.id },
      },
    ]);
    answer(postgrestResponse({ ...project, environment_id: production.id }));
    // Once answered, the project is marked for a fresh read, and the switch stays.
    await waitFor(() => expect(state()?.isInvalidated).toBe(true));
    expect(cached()?.environment_id).toBe(production.id);
  });

  it('puts the environment back and says why when the server refuses', async () => {
    fetchMock.mockImplementation(async (input) => {
      const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
      return path.startsWith('/rest/v1/rpc/')
        ? postgrestResponse({ code: '42501', message: 'forbidden' }, { status: 403 })
        : postgrestResponse(project);
    });
    const { user, cached } = setup();
    await user.click(screen.getByRole('button', { name: 'Switch to production' }));
    expect(await screen.findByText('The environment wasn’t changed')).toBeInTheDocument();
    expect(
      screen.getByText('Only owners and admins can change a project’s environment.'),
    ).toBeInTheDocument();
    expect(cached()?.environment_id).toBe(staging.id);
  });
});
