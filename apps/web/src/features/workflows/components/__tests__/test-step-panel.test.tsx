import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import { TestStepPanel } from '../test-step-panel';

const ORG = '00000000-0000-4000-8000-000000000001';
const step = { transformer_id: 'echo-transformer', input_map: { data: '$.job_input.lead' } };

const fetchMock = vi.fn<typeof fetch>();
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const calls = () =>
  fetchMock.mock.calls.filter(([input]) =>
    String(input instanceof Request ? input.url : input).includes('/functions/v1/test-step'),
  );

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(
    async () =>
      new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
});

async function runWith(sample: string) {
  const user = userEvent.setup();
  renderWithProviders(<TestStepPanel organisationId={ORG} step={step} stepId="enrich" />);
  const field = screen.getByLabelText('Sample input (JSON)');
  await user.clear(field);
  await user.click(field);
  await user.paste(sample);
  await user.click(screen.getByRole('button', { name: 'Run test' }));
  return user;
}

describe('TestStepPanel', () => {
  it('sends the step and the sample and shows the input and the output', async () => {
    answer = {
      status: 200,
      body: { input: { data: { company: 'Harbour' } }, output: { echoed_data: 'ok' } },
    };
    await runWith('{"job_input": {"lead": {"company": "Harbour"}}}');
    expect(await screen.findByText('Output')).toBeInTheDocument();
    expect(screen.getByText(/"echoed_data": "ok"/)).toBeInTheDocument();
    expect(
      within(screen.getByRole('figure', { name: 'Input the step got' })).getByText(
        /"company": "Harbour"/,
      ),
    ).toBeInTheDocument();
    const request = calls()[0]!;
    const sent =
      request[0] instanceof Request
        ? await request[0].clone().json()
        : JSON.parse(String(request[1]?.body));
    expect(sent).toEqual({
      organisation_id: ORG,
      step_id: 'enrich',
      step,
      sample: { job_input: { lead: { company: 'Harbour' } } },
    });
  });

  it("shows the step's failure with its code", async () => {
    answer = {
      status: 200,
      body: {
        input: { url: 'https://x.test' },
        error: { code: 'host_not_allowed', message: 'x.test is not one of…', retryable: false },
      },
    };
    await runWith('{"job_input": {}}');
    expect(await screen.findByText(/The step failed: host_not_allowed/)).toBeInTheDocument();
    expect(screen.getByText('x.test is not one of…')).toBeInTheDocument();
  });

  it('shows a refused request (a member: 403)', async () => {
    answer = {
      status: 403,
      body: { error: { code: 'forbidden', message: 'only owners and admins can test steps' } },
    };
    await runWith('{}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'only owners and admins can test steps',
    );
  });

  it('checks the sample as it is typed and will not run a wrong one', async () => {
    const user = userEvent.setup();
    renderWithProviders(<TestStepPanel organisationId={ORG} step={step} />);
    const field = screen.getByLabelText('Sample input (JSON)');
    await user.clear(field);
    await user.click(field);
    await user.paste('{"jobs": ');
    expect(screen.getByText(/Not valid JSON/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run test' })).toBeDisabled();
    await user.clear(field);
    await user.paste('{"jobs": 1}');
    expect(screen.getByText(/Unknown key "jobs"/)).toBeInTheDocument();
    await waitFor(() => expect(calls()).toHaveLength(0));
  });
});
