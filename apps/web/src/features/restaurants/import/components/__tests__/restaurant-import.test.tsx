import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { RestaurantImport } from '../restaurant-import';

const REP = {
  id: '10000000-0000-4000-8000-000000000002',
  name: 'Remy Rep',
  email: 'rep@forkflow.test',
};
const EXISTING = '20000000-0000-4000-8000-000000000003';

const fetchMock = vi.fn<typeof fetch>();
const createObjectURL = vi.fn((_blob: Blob) => 'blob:errors');
let imported: unknown[] = [];

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

beforeEach(() => {
  imported = [];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const path = new URL(String(input)).pathname;
    const body = JSON.parse(String(init?.body ?? '{}')) as {
      p_rows: Array<{ contact_email?: string }>;
    };
    if (path.endsWith('/rpc/find_restaurant_duplicates')) {
      // The second ready row has the email of a restaurant the organisation has.
      return postgrestResponse(
        body.p_rows.flatMap((row, index) =>
          row.contact_email === 'have@x.test'
            ? [{ index, id: EXISTING, name: 'Have It', city: null, match: 'email' }]
            : [],
        ),
      );
    }
    if (path.endsWith('/rpc/import_restaurants')) {
      imported = body.p_rows;
      return postgrestResponse(
        body.p_rows.map((row, index) =>
          row.contact_email === 'have@x.test'
            ? {
                index,
                status: 'skipped',
                id: EXISTING,
                reason: 'a restaurant with this email already exists',
              }
            : { index, status: 'created', id: `30000000-0000-4000-8000-00000000000${index}` },
        ),
      );
    }
    throw new Error(`unexpected request ${path}`);
  });
  vi.stubGlobal('fetch', fetchMock);
  createObjectURL.mockClear();
  URL.createObjectURL = createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  // jsdom's File has no text().
  if (!('text' in Blob.prototype))
    Object.defineProperty(Blob.prototype, 'text', {
      configurable: true,
      value(this: Blob) {
        return readBlob(this);
      },
    });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const CSV = [
  'Restaurant;E-mail;Town;Stage;Sales rep',
  'Alpha;alpha@x.test;Leeds;Demo booked;rep@forkflow.test',
  'Have;have@x.test;York;New;',
  'Broken;not-an-email;Hull;New;',
  'ALPHA;;leeds;New;',
  'Odd stage;odd@x.test;Ely;Maybe;',
].join('\r\n');

async function upload(text: string) {
  const user = userEvent.setup();
  renderWithProviders(<RestaurantImport reps={[REP]} listHref="/restaurants" />);
  await user.upload(
    screen.getByLabelText('Choose a CSV file'),
    new File([text], 'leads.csv', { type: 'text/csv' }),
  );
  return user;
}

describe('RestaurantImport', () => {
  it('guesses the mapping, previews each row with its problems and counts before importing', async () => {
    await upload(CSV);
    await screen.findByRole('heading', { name: 'Match the columns of leads.csv' });
    expect(screen.getByLabelText('Field for column Restaurant')).toHaveValue('name');
    expect(screen.getByLabelText('Field for column Town')).toHaveValue('city');
    expect(screen.getByLabelText('Field for column Sales rep')).toHaveValue('rep_email');

    const preview = screen.getByRole('table', { name: 'Preview of the first rows' });
    const rows = within(preview).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(5);
    expect(rows[2]).toHaveTextContent('Enter a valid email address');
    expect(rows[3]).toHaveTextContent('Repeats an earlier row');
    expect(rows[4]).toHaveTextContent('Maybe is not a stage');

    const checks = screen.getByTestId('import-checks');
    expect(checks).toHaveTextContent('2 rows ready to import');
    expect(checks).toHaveTextContent('2 rows with problems');
    expect(checks).toHaveTextContent('1 row repeating an earlier row');
    expect(
      await within(checks).findByText(/1 row matches a restaurant you already have/),
    ).toBeVisible();
  });

  it('sends only ready rows, then sums up and offers the failed rows as a file', async () => {
    const user = await upload(CSV);
    await user.click(await screen.findByRole('button', { name: 'Import 2 rows' }));
    await screen.findByRole('heading', { name: 'Import finished' });
    expect(imported).toEqual([
      {
        name: 'Alpha',
        contact_email: 'alpha@x.test',
        city: 'Leeds',
        lead_stage: 'demo_booked',
        assigned_sales_rep: REP.id,
      },
      { name: 'Have', contact_email: 'have@x.test', city: 'York', lead_stage: 'new' },
    ]);
    expect(screen.getByTestId('import-created')).toHaveTextContent('1');
    expect(screen.getByTestId('import-updated')).toHaveTextContent('0');
    expect(screen.getByTestId('import-skipped')).toHaveTextContent('2');
    expect(screen.getByTestId('import-failed')).toHaveTextContent('2');

    await user.click(screen.getByRole('button', { name: 'Download error file' }));
    const text = await readBlob(createObjectURL.mock.calls[0]![0]);
    expect(
      text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n'),
    ).toEqual([
      'Restaurant,E-mail,Town,Stage,Sales rep,Line,Error',
      'Broken,not-an-email,Hull,New,,4,Enter a valid email address',
      'Odd stage,odd@x.test,Ely,Maybe,,6,"Maybe is not a stage (new, contacted, qualified, demo_booked, demo_done, proposal, negotiation, won, lost)"',
    ]);
  });

  it('refuses a file with a header and no rows', async () => {
    await upload('Name,City\r\n');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This file has no rows under its header line.',
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('asks for the name column when no column is mapped to it', async () => {
    const user = await upload(CSV);
    await user.selectOptions(await screen.findByLabelText('Field for column Restaurant'), '');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Choose the column that holds the restaurant’s name.',
    );
    expect(screen.getByRole('button', { name: /^Import/ })).toBeDisabled();
  });
});
