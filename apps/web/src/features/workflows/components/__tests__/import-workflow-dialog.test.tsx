import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { supabase } from '@/lib/supabase';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { ImportWorkflowDialog } from '../import-workflow-dialog';

// Import (issue 12 §2): the file's shape is checked in the browser; the definition by
// save-workflow, whose 400 details are listed; a taken key gets another one offered.

const exported = {
  format: 'forkflow.workflow',
  version: 1,
  key: 'transcribe-call',
  name: 'Transcribe call',
  description: null,
  definition: {
    start_step: 'only',
    steps: { only: { transformer_id: 'echo-transformer', input_map: {}, next_step: null } },
  },
  retry_policy: { max_retries: 3 },
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
afterEach(() => vi.unstubAllGlobals());

const fileOf = (content: unknown, name = 'transcribe-call.workflow.json') =>
  new File([typeof content === 'string' ? content : JSON.stringify(content)], name, {
    type: 'application/json',
  });

async function bodyOf(call: Parameters<typeof fetch>) {
  const [input, init] = call;
  return JSON.parse(input instanceof Request ? await input.text() : String(init?.body)) as Record<
    string,
    unknown
  >;
}

const setup = () => {
  const user = userEvent.setup();
  renderWithProviders(<ImportWorkflowDialog open onOpenChange={() => {}} />);
  return { user };
};

describe('ImportWorkflowDialog', () => {
  it('refuses a file that is not a workflow export, listing its problems, and sends nothing', async () => {
    const { user } = setup();
    await user.upload(
      screen.getByLabelText('Workflow file'),
      fileOf({ ...exported, format: 'n8n', key: 'Bad Key' }, 'other.json'),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('other.json is not a workflow export');
    expect(alert).toHaveTextContent(/format: format must be "forkflow.workflow"/);
    expect(alert).toHaveTextContent(/key: key is 1 to 63/);
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('refuses text that is not JSON', async () => {
    const { user } = setup();
    await user.upload(screen.getByLabelText('Workflow file'), fileOf('{ nope'));
    expect(await screen.findByRole('alert')).toHaveTextContent('The file is not valid JSON');
  });

  it("imports a valid file through save-workflow and shows the server's 400 details", async () => {
    fetchMock.mockResolvedValue(
      json(400, {
        error: {
          code: 'invalid_definition',
          message: 'The definition has 1 problem',
          details: [
            {
              path: ['steps', 'only', 'transformer_id'],
              code: 'unknown_transformer',
              message: 'echo-transformer is not available',
            },
          ],
        },
      }),
    );
    const { user } = setup();
    await user.upload(screen.getByLabelText('Workflow file'), fileOf(exported));
    expect(await screen.findByText('Transcribe call')).toBeInTheDocument();
    expect(screen.getByLabelText('Key')).toHaveValue('transcribe-call');
    await user.click(screen.getByRole('button', { name: 'Import' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("The workflow wasn't imported");
    expect(alert).toHaveTextContent('steps.only.transformer_id: echo-transformer is not available');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [input] = fetchMock.mock.calls[0]!;
    expect(String(input instanceof Request ? input.url : input)).toMatch(
      /\/functions\/v1\/save-workflow$/,
    );
    expect(await bodyOf(fetchMock.mock.calls[0]!)).toEqual({
      organisation_id: testOrganisation.id,
      key: 'transcribe-call',
      name: 'Transcribe call',
      description: null,
      definition: exported.definition,
      retry_policy: { max_retries: 3 },
      change_description: 'Imported from transcribe-call.workflow.json',
    });
  });

  it('offers another key when the key is taken, and imports under it', async () => {
    fetchMock
      .mockResolvedValueOnce(
        json(409, {
          error: {
            code: 'key_taken',
            message: 'a workflow with key transcribe-call already exists',
          },
        }),
      )
      .mockResolvedValueOnce(
        json(201, { id: '40000000-0000-4000-8000-000000000009', key: 'transcribe-call-2' }),
      );
    const { user } = setup();
    await user.upload(screen.getByLabelText('Workflow file'), fileOf(exported));
    await user.click(await screen.findByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /already exists\. Choose another key\. The key below is now transcribe-call-2/,
    );
    expect(screen.getByLabelText('Key')).toHaveValue('transcribe-call-2');

    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect((await bodyOf(fetchMock.mock.calls[1]!))['key']).toBe('transcribe-call-2');
    expect(await screen.findByText('Workflow imported')).toBeInTheDocument();
  });

  it('will not send a key the database would refuse', async () => {
    const { user } = setup();
    await user.upload(screen.getByLabelText('Workflow file'), fileOf(exported));
    const key = await screen.findByLabelText('Key');
    await user.clear(key);
    await user.type(key, 'Not A Key');
    expect(screen.getByText(/Lower-case letters, digits/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
  });
});
