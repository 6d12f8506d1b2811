import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { supabase } from '@/lib/supabase';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { RunWorkflowDialog, suggestedInput } from '../run-workflow-dialog';

const workflow = {
  id: '40000000-0000-4000-8000-000000000001',
  name: 'Echo example',
  definition: {
    start_step: 'step1',
    steps: {
      step1: {
        transformer_id: 'echo-transformer',
        input_map: { data: '$.job_input.payload' },
        next_step: null,
      },
    },
  },
};

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
  const onStarted = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <RunWorkflowDialog workflow={workflow} onOpenChange={vi.fn()} onStarted={onStarted} />,
  );
  const dialog = screen.getByRole('dialog', { name: 'Run Echo example' });
  const input = within(dialog).getByRole('textbox', { name: /^Input/ });
  return { user, onStarted, dialog, input };
}

describe('RunWorkflowDialog', () => {
  it('suggests the fields the definition reads from the job input', () => {
    expect(suggestedInput(workflow.definition)).toBe('{\n  "payload": ""\n}');
    const { input } = setup();
    expect(input).toHaveValue('{\n  "payload": ""\n}');
  });

  it('checks the input is a JSON object before starting anything', async () => {
    const { user, input, dialog } = setup();
    await user.clear(input);
    await user.type(input, '{{"payload": ');
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    expect(await within(dialog).findByText(/^Not valid JSON/)).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '42');
    expect(
      await within(dialog).findByText('The input must be a JSON object, like {"payload": 1}'),
    ).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('starts the job with an idempotency key and hands back its id', async () => {
    fetchMock.mockResolvedValue(
      json(201, { job_id: 'j1', status: 'pending', created_at: '2026-11-22T09:00:00Z' }),
    );
    const { user, input, dialog, onStarted } = setup();
    await user.clear(input);
    await user.type(input, '{{"payload": "hello"}');
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(onStarted.mock.calls[0]?.[0]).toMatchObject({ job_id: 'j1' });
    const [request, init] = fetchMock.mock.calls[0] ?? [];
    const headers = new Headers(request instanceof Request ? request.headers : init?.headers);
    expect(headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    const body: unknown = JSON.parse(
      request instanceof Request ? await request.text() : String(init?.body),
    );
    expect(body).toEqual({
      workflow_id: workflow.id,
      input_data: { payload: 'hello' },
      organisation_id: testOrganisation.id,
    });
  });

  it('starts the job on Ctrl+Enter, while Enter alone adds a line', async () => {
    fetchMock.mockResolvedValue(
      json(201, { job_id: 'j2', status: 'pending', created_at: '2026-11-22T09:00:00Z' }),
    );
    const { user, input, onStarted } = setup();
    await user.clear(input);
    await user.type(input, '{{{Enter}"payload": "hi"{Enter}}');
    expect(input).toHaveValue('{\n"payload": "hi"\n}');
    expect(fetchMock).not.toHaveBeenCalled();
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(onStarted.mock.calls[0]?.[0]).toMatchObject({ job_id: 'j2' });
  });

  it('explains an archived workflow', async () => {
    fetchMock.mockResolvedValue(
      json(409, { error: { code: 'workflow_archived', message: 'workflow echo is archived' } }),
    );
    const { user, dialog } = setup();
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "The job wasn't startedThis workflow is archived: restore it before running it.",
    );
  });
});
