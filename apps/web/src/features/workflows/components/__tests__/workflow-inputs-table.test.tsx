import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WorkflowInputsTable } from '../workflow-inputs-table';

const steps = { start_step: 'a', steps: { a: { transformer_id: 'echo-transformer' } } };

describe('WorkflowInputsTable', () => {
  it('lists each declared input: name, type, required, default and description', () => {
    render(
      <WorkflowInputsTable
        definition={{
          ...steps,
          inputs: [
            { name: 'payload', type: 'string', required: true, description: 'What to echo' },
            { name: 'tags', type: 'array', default: ['a', 'b'] },
          ],
        }}
      />,
    );
    const table = screen.getByRole('table', { name: 'Inputs' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [
        within(row).getByRole('rowheader').textContent,
        ...within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      ]);
    expect(rows).toEqual([
      ['payload', 'string', 'Yes', '—', 'What to echo'],
      ['tags', 'array', 'No', '["a","b"]', ''],
    ]);
  });

  it('says a workflow without declared inputs takes any JSON object', () => {
    render(<WorkflowInputsTable definition={steps} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('region', { name: 'Inputs' })).toHaveTextContent(
      'None declared: a job takes any JSON object as its input.',
    );
  });
});
