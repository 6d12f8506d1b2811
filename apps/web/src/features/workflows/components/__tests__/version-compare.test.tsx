import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import type { WorkflowVersion } from '../../api/queries';
import { VersionCompare } from '../version-compare';

const definition = (transformer: string, extraSteps = 0) => ({
  start_step: 'step1',
  steps: {
    step1: {
      transformer_id: transformer,
      input_map: { data: '$.job_input.payload' },
      next_step: null,
    },
    ...Object.fromEntries(
      Array.from({ length: extraSteps }, (_, i) => [
        `extra${i}`,
        { transformer_id: 'echo-transformer', next_step: null },
      ]),
    ),
  },
});

const version = (n: number, overrides: Partial<WorkflowVersion> = {}): WorkflowVersion => ({
  id: `v${n}`,
  organisation_id: '00000000-0000-4000-8000-000000000001',
  workflow_id: '40000000-0000-4000-8000-000000000001',
  version: n,
  definition: definition('echo-transformer', 6),
  retry_policy: { max_retries: 3 },
  change_description: `Change ${n}`,
  created_at: '2026-11-21T09:00:00Z',
  created_by: null,
  parent_version: n > 1 ? n - 1 : null,
  restored_from: null,
  ...overrides,
});

const versions = [
  version(1),
  version(2, {
    definition: definition('gemini-transformer', 6),
    retry_policy: { max_retries: 5, jitter: 'none' },
  }),
  version(3, { definition: definition('gemini-transformer', 7) }),
];

const diffRegion = (from: number, to: number) =>
  screen.getByRole('group', {
    name: `Definition changes from version ${from} to version ${to}`,
  });

describe('VersionCompare', () => {
  it('compares the latest with the one before by default, lines marked in words', () => {
    renderWithProviders(<VersionCompare versions={versions} />);
    expect(screen.getByLabelText('Compare version')).toHaveValue('2');
    expect(screen.getByLabelText('With version')).toHaveValue('3');
    const region = diffRegion(2, 3);
    const added = region.querySelectorAll('[data-kind="added"]');
    expect(added.length).toBeGreaterThan(0);
    expect(added[0]).toHaveTextContent(/Added:/);
    expect(screen.getByText(/From version 2 to 3: \d+ lines? added, \d+ removed\./)).toBeVisible();
  });

  it('shows a changed line as removed and added, and the retry policy side by side', async () => {
    const user = userEvent.setup();
    renderWithProviders(<VersionCompare versions={versions} />);
    await user.selectOptions(screen.getByLabelText('Compare version'), '1');
    await user.selectOptions(screen.getByLabelText('With version'), '2');
    const region = diffRegion(1, 2);
    const removed = [...region.querySelectorAll('[data-kind="removed"]')].map((e) => e.textContent);
    const added = [...region.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent);
    expect(removed.join('\n')).toMatch(/Removed:\s+"transformer_id": "echo-transformer"/);
    expect(added.join('\n')).toMatch(/Added:\s+"transformer_id": "gemini-transformer"/);

    const policy = screen.getByRole('table');
    const maxRetries = within(policy).getByRole('row', { name: /Max retries/ });
    expect(maxRetries).toHaveTextContent('Max retries35changed');
    const jitter = within(policy).getByRole('row', { name: /Jitter/ });
    expect(jitter).toHaveTextContent('changed');
    const factor = within(policy).getByRole('row', { name: /Factor/ });
    expect(factor).not.toHaveTextContent('changed');
  });

  it('collapses long unchanged runs behind a button that expands them', async () => {
    const user = userEvent.setup();
    renderWithProviders(<VersionCompare versions={versions} />);
    await user.selectOptions(screen.getByLabelText('Compare version'), '1');
    await user.selectOptions(screen.getByLabelText('With version'), '2');
    const region = diffRegion(1, 2);
    const before = region.querySelectorAll('[data-kind="same"]').length;
    const expand = within(region).getAllByRole('button', { name: /Show \d+ unchanged lines/ });
    expect(expand.length).toBeGreaterThan(0);
    await user.click(expand[0]!);
    expect(region.querySelectorAll('[data-kind="same"]').length).toBeGreaterThan(before);
  });

  it('says when both sides are the same version, or the definitions are equal', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <VersionCompare
        versions={[...versions, version(4, { definition: versions[2]!.definition })]}
      />,
    );
    await user.selectOptions(screen.getByLabelText('Compare version'), '4');
    expect(screen.getByText(/Both sides are version 4/)).toBeVisible();
    await user.selectOptions(screen.getByLabelText('Compare version'), '3');
    expect(screen.getByText('The definitions are the same.')).toBeVisible();
  });

  it('has nothing to compare with one version', () => {
    renderWithProviders(<VersionCompare versions={[version(1)]} />);
    expect(screen.getByText('Nothing to compare yet')).toBeVisible();
  });
});
