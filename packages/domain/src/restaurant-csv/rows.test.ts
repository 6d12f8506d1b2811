import { describe, expect, it } from 'vitest';
import { parseCsv, serialiseCsv } from './csv.ts';
import { exportColumns, guessMapping, restaurantsToCsvRows } from './fields.ts';
import { repeatedRows, validateImportRow, type ImportRow } from './rows.ts';

const REP_ID = '10000000-0000-4000-8000-000000000002';
const reps = new Map([['rep@forkflow.test', REP_ID]]);

describe('guessMapping', () => {
  it('maps common headers, each field once', () => {
    expect(
      guessMapping([
        'Restaurant',
        'E-mail address',
        'Phone number',
        'Town',
        'Cuisine',
        'Lead stage',
        'Warmth',
        'Contact person',
        'Website',
        'Street address',
        'Notes',
        'Sales rep email',
        'Email',
      ]),
    ).toEqual([
      'name',
      'contact_email',
      'contact_phone',
      'city',
      'cuisine',
      'lead_stage',
      'lead_warmth',
      'contact_name',
      'website',
      'address',
      'notes',
      'rep_email',
      null,
    ]);
  });

  it('leaves unknown headers unmapped', () => {
    expect(guessMapping(['Name', 'Favourite colour', ''])).toEqual(['name', null, null]);
  });

  it('reads an export back field for field', () => {
    expect(guessMapping(exportColumns.map((column) => column.header))).toEqual(
      exportColumns.map((column) => column.field),
    );
  });
});

describe('validateImportRow', () => {
  const mapping = guessMapping([
    'Name',
    'Email',
    'City',
    'Stage',
    'Warmth',
    'Rep email',
    'Website',
  ]);

  it('accepts a good row, with stage and warmth by label or value', () => {
    const result = validateImportRow(
      [
        '  Spice Route ',
        'hi@spice.test',
        'Leeds',
        'Demo booked',
        'HOT',
        'REP@forkflow.test',
        'spice.test',
      ],
      mapping,
      reps,
    );
    expect(result).toEqual({
      ok: true,
      row: {
        name: 'Spice Route',
        contact_email: 'hi@spice.test',
        city: 'Leeds',
        lead_stage: 'demo_booked',
        lead_warmth: 'hot',
        assigned_sales_rep: REP_ID,
        website: 'https://spice.test',
      },
    });
  });

  it('sends only mapped fields, so an update never resets an unmapped stage', () => {
    const result = validateImportRow(['Only a name'], ['name'], reps);
    expect(result).toEqual({ ok: true, row: { name: 'Only a name' } });
  });

  it.each([
    [['', 'a@b.test', '', '', '', '', ''], 'Name is required'],
    [['x'.repeat(201), '', '', '', '', '', ''], 'Name must be at most 200 characters'],
    [['A', 'not-an-email', '', '', '', '', ''], 'Enter a valid email address'],
    [['A', '', '', 'maybe', '', '', ''], 'maybe is not a stage'],
    [['A', '', '', '', 'lukewarm', '', ''], 'lukewarm is not a warmth'],
    [['A', '', '', '', '', 'nobody@x.test', ''], 'No member has the email nobody@x.test'],
    [['A', '', '', '', '', '', 'javascript:alert(1)'], 'Enter a web address'],
  ])('refuses %j', (cells, message) => {
    const result = validateImportRow(cells, mapping, reps);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join(' | ')).toContain(message);
  });

  it('drops the quote an export put before a formula-looking cell', () => {
    const result = validateImportRow(["'+44 20 7946 0000"], ['contact_phone'], reps);
    expect(result).toEqual({ ok: false, errors: ['Name is required'] });
    const named = validateImportRow(['A', "'+44 20 7946 0000"], ['name', 'contact_phone'], reps);
    expect(named).toEqual({ ok: true, row: { name: 'A', contact_phone: '+44 20 7946 0000' } });
  });
});

describe('repeatedRows', () => {
  it('flags a later row with the same email, or the same name and city, case folded', () => {
    const rows: Array<ImportRow | null> = [
      { name: 'A', city: 'Leeds', contact_email: 'a@x.test' },
      { name: 'a', city: 'LEEDS' },
      null,
      { name: 'B', contact_email: 'A@X.test' },
      { name: 'A', city: 'York' },
      { name: 'C' },
      { name: 'c', city: null },
    ];
    expect([...repeatedRows(rows)]).toEqual([1, 3, 6]);
  });
});

describe('export', () => {
  it('writes the header, then one row per restaurant, neutralising formulas', () => {
    const text = serialiseCsv(
      restaurantsToCsvRows([{ name: '=cmd', city: 'Leeds', lead_stage: 'won', rep_email: null }]),
    );
    const rows = parseCsv(text).rows;
    expect(rows[0]).toEqual(exportColumns.map((column) => column.header));
    expect(rows[1]?.[0]).toBe("'=cmd");
    expect(rows[1]?.[6]).toBe('Leeds');
  });
});
