import { describe, expect, it } from 'vitest';
import {
  emptyRestaurantFormValues,
  leadStageLabels,
  leadStages,
  leadStatusLabels,
  leadStatuses,
  leadWarmthLabels,
  leadWarmths,
  normaliseWebsite,
  restaurantInputSchema,
  restaurantToFormValues,
} from './restaurants.ts';

const firstError = (input: unknown, path: string) => {
  const result = restaurantInputSchema.safeParse(input);
  if (result.success) return undefined;
  return result.error.issues.find((issue) => issue.path.join('.') === path)?.message;
};

describe('restaurantInputSchema', () => {
  it('turns empty form fields into nulls and applies defaults', () => {
    const parsed = restaurantInputSchema.parse({
      ...emptyRestaurantFormValues,
      name: '  Harbour Bistro ',
    });
    expect(parsed).toEqual({
      name: 'Harbour Bistro',
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      website: null,
      address: null,
      city: null,
      cuisine: null,
      lead_stage: 'new',
      lead_warmth: 'cold',
      lead_status: 'active',
      assigned_sales_rep: null,
      notes: null,
    });
  });

  it('accepts a minimal object with only a name', () => {
    expect(restaurantInputSchema.parse({ name: 'Noodle Bar' })).toMatchObject({
      name: 'Noodle Bar',
      lead_stage: 'new',
      contact_email: null,
    });
  });

  it.each([
    [{ name: '' }, 'name', 'Name is required'],
    [{ name: '   ' }, 'name', 'Name is required'],
    [{}, 'name', 'Name is required'],
    [{ name: 'x'.repeat(201) }, 'name', 'Name must be at most 200 characters'],
    [{ name: 'A', contact_email: 'not-an-email' }, 'contact_email', 'Enter a valid email address'],
    [{ name: 'A', contact_phone: 'call me' }, 'contact_phone', 'Enter a valid phone number'],
    [{ name: 'A', contact_phone: '123' }, 'contact_phone', 'Enter a valid phone number'],
    [
      { name: 'A', website: 'not a site' },
      'website',
      'Enter a web address, like harbourbistro.com',
    ],
    [
      { name: 'A', website: 'ftp://files.example.com' },
      'website',
      'Enter a web address, like harbourbistro.com',
    ],
    [{ name: 'A', lead_stage: 'closed' }, 'lead_stage', undefined],
    [
      { name: 'A', assigned_sales_rep: 'remy' },
      'assigned_sales_rep',
      'Choose a member of this organisation',
    ],
  ])('rejects %j at %s', (input, path, message) => {
    const error = firstError(input, path);
    expect(error).toBeTypeOf('string');
    if (message) expect(error).toBe(message);
  });

  it.each([
    ['owner@harbour.test', 'contact_email'],
    ['+44 (0)20 7946-0958', 'contact_phone'],
    ['020 7946 0958', 'contact_phone'],
  ])('accepts %s as %s', (value, field) => {
    expect(firstError({ name: 'A', [field]: value }, field)).toBeUndefined();
  });

  it('keeps notes as written but drops whitespace-only notes', () => {
    expect(restaurantInputSchema.parse({ name: 'A', notes: '  line one\nline two' }).notes).toBe(
      '  line one\nline two',
    );
    expect(restaurantInputSchema.parse({ name: 'A', notes: ' \n ' }).notes).toBeNull();
  });

  it('accepts a member id for the assigned rep', () => {
    const id = '00000000-0000-4000-8000-000000000123';
    expect(
      restaurantInputSchema.parse({ name: 'A', assigned_sales_rep: id }).assigned_sales_rep,
    ).toBe(id);
  });
});

describe('normaliseWebsite', () => {
  it.each([
    ['harbourbistro.com', 'https://harbourbistro.com'],
    ['http://harbourbistro.com/menu', 'http://harbourbistro.com/menu'],
    ['https://www.example.co.uk', 'https://www.example.co.uk'],
    ['not a site', null],
    ['localhostish', null],
    ['mailto:x@y.z', null],
  ])('%s → %s', (input, expected) => {
    expect(normaliseWebsite(input)).toBe(expected);
  });
});

describe('labels', () => {
  it('has a label for every stage, warmth and status', () => {
    for (const stage of leadStages) expect(leadStageLabels[stage]).toBeTruthy();
    for (const warmth of leadWarmths) expect(leadWarmthLabels[warmth]).toBeTruthy();
    for (const status of leadStatuses) expect(leadStatusLabels[status]).toBeTruthy();
  });
});

describe('restaurantToFormValues', () => {
  it('turns a database row into form values and back without loss', () => {
    const row = {
      name: 'Harbour Bistro',
      contact_name: 'Ada',
      contact_email: null,
      contact_phone: null,
      website: 'https://harbourbistro.com',
      address: null,
      city: 'Leeds',
      cuisine: 'Seafood',
      lead_stage: 'demo_booked',
      lead_warmth: 'hot',
      lead_status: 'paused',
      assigned_sales_rep: null,
      notes: null,
    };
    const values = restaurantToFormValues(row);
    expect(values.contact_email).toBe('');
    expect(values.lead_stage).toBe('demo_booked');
    expect(restaurantInputSchema.parse(values)).toEqual(row);
  });

  it('falls back to defaults for values the database should never hold', () => {
    expect(restaurantToFormValues({ name: 'A', lead_stage: 'mystery' }).lead_stage).toBe('new');
  });
});
