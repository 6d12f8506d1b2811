import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { supabase } from '@/lib/supabase';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { NewProjectDialog } from '../new-project-dialog';

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(supabase.auth, 'getSession').mockResolvedValue({
    data: { session: null },
    error: null,
  });
});

function setup() {
  const onCreated = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <NewProjectDialog
      organisationId={testOrganisation.id}
      open
      onOpenChange={vi.fn()}
      onCreated={onCreated}
    />,
  );
  return { user, onCreated };
}

describe('NewProjectDialog', () => {
  it('suggests the slug from the name until the slug is edited', async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText(/^Name/), 'Lead Enrichment!');
    expect(screen.getByLabelText(/^Slug/)).toHaveDisplayValue('lead-enrichment');
    await user.clear(screen.getByLabelText(/^Slug/));
    await user.type(screen.getByLabelText(/^Slug/), 'leads');
    await user.type(screen.getByLabelText(/^Name/), ' 2');
    expect(screen.getByLabelText(/^Slug/)).toHaveDisplayValue('leads');
  });

  it('shows a taken slug at the field and in the summary', async () => {
    // As save_project refuses it: a code, no details.
    fetchMock.mockResolvedValue(
      json(409, {
        error: {
          code: 'slug_taken',
          message: 'a project with slug leads already exists in this organisation',
        },
      }),
    );
    const { user, onCreated } = setup();
    await user.type(screen.getByLabelText(/^Name/), 'Leads');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() =>
      expect(screen.getByLabelText(/^Slug/)).toHaveAccessibleDescription(
        'a project with slug leads already exists in this organisation',
      ),
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'a project with slug leads already exists in this organisation',
    );
    expect(onCreated).not.toHaveBeenCalled();
  });
});
