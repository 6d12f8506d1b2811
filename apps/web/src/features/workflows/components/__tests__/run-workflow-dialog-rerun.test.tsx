import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { supabase } from '@/lib/supabase';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { RunWorkflowDialog } from '../run-workflow-dialog';

// "Re-run with edited input" (issue 12 §9): the Run dialog prefilled with a job's input,
// starting a job that records the one it re-runs.

const sourceJob = '60000000-0000-4000-8000-000000000001';
const step = { transformer_id: 'echo-transformer', input_map: {}, next_step: null };
const plain = {
  id: '40000000-0000-4000-8000-000000000001',
  name: 'Echo example',
  definition: { start_step: 'step1', steps: { step1: step } },
};
const typed = {
  ...plain,
  definition: {
    ...plain.definition,
    inputs: [
      { name: 'lead', type: 'string' as const, required: true },
      { name: 'score', type: 'number' as const, default: 1 },
    ],
  },
};

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockResolvedValue(
    json(201, { job_id: 'j9', status: 'pending', created_at: '2026-11-22T09:00:00Z' }),
  );
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(supabase.auth, 'getSession').mockResolvedValue({
    data: { session: null },
    error: null,
  });
});

function setup(workflow: typeof plain | typeof typed, input: Record<string, unknown>) {
  const onStarted = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <RunWorkflowDialog
      workflow={workflow}
      onOpenChange={vi.fn()}
      onStarted={onStarted}
      initialInput={input}
      title="Re-run Echo example"
      rerunOf={sourceJob}
    />,
  );
  const dialog = screen.getByRole('dialog', { name: 'Re-run Echo example' });
  return { user, onStarted, dialog };
}

async function sentBody(): Promise<unknown> {
  const [request, init] = fetchMock.mock.calls[0] ?? [];
  return JSON.parse(request instanceof Request ? await request.text() : String(init?.body));
}

describe('RunWorkflowDialog as a re-run', () => {
  it("prefills the JSON editor with the job's input and sends rerun_of", async () => {
    const { user, dialog, onStarted } = setup(plain, { payload: 'hello', n: 2 });
    const input = within(dialog).getByRole('textbox', { name: /^Input/ });
    expect(input).toHaveValue('{\n  "payload": "hello",\n  "n": 2\n}');
    await user.clear(input);
    await user.type(input, '{{"payload": "edited"}');
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(await sentBody()).toEqual({
      workflow_id: plain.id,
      input_data: { payload: 'edited' },
      organisation_id: testOrganisation.id,
      rerun_of: sourceJob,
    });
  });

  it("fills the typed form with the job's values instead of the defaults", async () => {
    const { user, dialog, onStarted } = setup(typed, { score: 7, lead: 'Ada' });
    expect(within(dialog).getByRole('textbox', { name: /^lead/ })).toHaveValue('Ada');
    expect(within(dialog).getByRole('spinbutton', { name: /^score/ })).toHaveValue(7);
    await user.click(within(dialog).getByRole('button', { name: 'Start job' }));
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(await sentBody()).toMatchObject({
      input_data: { lead: 'Ada', score: 7 },
      rerun_of: sourceJob,
    });
  });
});
