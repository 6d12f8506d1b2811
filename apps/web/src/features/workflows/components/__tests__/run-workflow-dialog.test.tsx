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

describe('RunWorkflowDialog with declared inputs', () => {
  const typed = {
    id: '40000000-0000-4000-8000-000000000002',
    name: 'Typed',
    definition: {
      ...workflow.definition,
      inputs: [
        { name: 'payload', type: 'string', required: true, description: 'What to echo' },
        { name: 'count', type: 'number', default: 3 },
        { name: 'loud', type: 'boolean', default: true },
        { name: 'options', type: 'object', description: 'Extra settings' },
        { name: 'tags', type: 'array', default: ['a'] },
      ],
    },
  };

  function setupTyped() {
    const onStarted = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(
      <RunWorkflowDialog workflow={typed} onOpenChange={vi.fn()} onStarted={onStarted} />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Run Typed' });
    const fields = {
      payload: within(dialog).getByRole('textbox', { name: /^payload/ }),
      count: within(dialog).getByRole('spinbutton', { name: /^count/ }),
      loud: within(dialog).getByRole('switch', { name: /^loud/ }),
      options: within(dialog).getByRole('textbox', { name: /^options/ }),
      tags: within(dialog).getByRole('textbox', { name: /^tags/ }),
    };
    return { user, onStarted, dialog, fields };
  }

  const sentBody = async () => {
    const [request, init] = fetchMock.mock.calls[0] ?? [];
    return JSON.parse(
      request instanceof Request ? await request.text() : String(init?.body),
    ) as unknown;
  };

  it('renders a control per input, typed, labelled, with required marks, descriptions and defaults', () => {
    const { dialog, fields } = setupTyped();
    expect(within(dialog).queryByRole('textbox', { name: /^Input/ })).toBeNull();
    expect(fields.payload).toHaveValue('');
    expect(fields.payload).toHaveAttribute('aria-required', 'true');
    expect(fields.payload).toHaveAccessibleDescription('Text · What to echo');
    expect(fields.count).toHaveValue(3);
    expect(fields.count).not.toHaveAttribute('aria-required');
    expect(fields.loud).toHaveAttribute('aria-checked', 'true');
    expect(fields.options).toHaveValue('');
    expect(fields.options).toHaveAccessibleDescription('A JSON object · Extra settings');
    expect(fields.tags).toHaveValue('[\n  "a"\n]');
  });

  it('checks JSON fields as you type, against the input type', async () => {
    const { user, fields } = setupTyped();
    await user.type(fields.options, '{{"a": ');
    expect(fields.options).toHaveAccessibleDescription(/^Not valid JSON/);
    await user.clear(fields.options);
    await user.type(fields.options, '[[1]');
    expect(fields.options).toHaveAccessibleDescription('options must be an object, not an array');
    await user.clear(fields.options);
    await user.type(fields.options, '{{"a": 1}');
    expect(fields.options).toHaveAccessibleDescription('A JSON object · Extra settings');
    expect(fields.options).toHaveAttribute('aria-invalid', 'false');
  });

  it('shows a missing required input at its field and starts nothing', async () => {
    const { user, dialog, fields } = setupTyped();
    expect(fields.payload).toHaveAttribute('aria-invalid', 'false');
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    expect(fields.payload).toHaveAttribute('aria-invalid', 'true');
    expect(fields.payload).toHaveAccessibleDescription('payload is required (string)');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('sends typed values, leaving blank optional fields out for their defaults', async () => {
    fetchMock.mockResolvedValue(
      json(201, { job_id: 'j3', status: 'pending', created_at: '2026-11-22T09:00:00Z' }),
    );
    const { user, dialog, fields, onStarted } = setupTyped();
    await user.type(fields.payload, 'hello');
    await user.clear(fields.count);
    await user.type(fields.count, '2.5');
    await user.click(fields.loud);
    await user.clear(fields.tags);
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(await sentBody()).toEqual({
      workflow_id: typed.id,
      input_data: { payload: 'hello', count: 2.5, loud: false },
      organisation_id: testOrganisation.id,
    });
  });

  it("places a 400's details on their fields and lists them all", async () => {
    fetchMock.mockResolvedValue(
      json(400, {
        error: {
          code: 'invalid_input',
          message: 'input_data has 2 problems: …',
          details: [
            { path: ['payload'], code: 'type', message: 'payload must be a string, not a number' },
            { path: ['region'], code: 'missing', message: 'region is required (string)' },
          ],
        },
      }),
    );
    const { user, dialog, fields } = setupTyped();
    await user.type(fields.payload, 'x');
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('payload must be a string, not a number');
    expect(alert).toHaveTextContent('region is required (string)');
    expect(fields.payload).toHaveAccessibleDescription('payload must be a string, not a number');
    // Editing the field clears what the server said about it.
    await user.type(fields.payload, 'y');
    expect(fields.payload).toHaveAccessibleDescription('Text · What to echo');
  });
});
