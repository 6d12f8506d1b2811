import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import vectors from '../../packages/domain/test-vectors/message-template.json' with { type: 'json' };
import { env } from './support/env.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// Message rendering in SQL: the shared vectors (the same file the TypeScript unit tests
// run) through private.render_message_with; the context private.render_message builds from
// real rows; and public.render_message_preview as real users through PostgREST.

const fx = createFixtures('render');
const service = fx.service;

let owner: TestUser;
let rep: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let organisationName: string;
let restaurantId: string;
let bareRestaurantId: string;
let db: pg.Client;

const everything =
  '{restaurant_name}|{contact_name}|{contact_first_name}|{contact_email}|{contact_phone}|' +
  '{city}|{cuisine}|{rep_name}|{rep_first_name}|{rep_email}|{organisation_name}';

beforeAll(async () => {
  owner = await fx.user('owner');
  rep = await fx.user('rep', { fullName: 'Sam  Rep' });
  member = await fx.user('member', { fullName: 'Morgan Member' });
  outsider = await fx.user('outsider');
  organisationId = await fx.organisation(owner, { members: [rep, member] });
  await fx.organisation(outsider);

  const { data: organisation } = await service
    .from('organisations')
    .select('name')
    .eq('id', organisationId)
    .single();
  organisationName = organisation!.name;

  const { data: restaurant, error } = await service
    .from('restaurants')
    .insert({
      organisation_id: organisationId,
      name: 'Harbour Bistro',
      contact_name: 'Ana María López',
      contact_email: 'ana@harbourbistro.com',
      contact_phone: '+351 21 000 0000',
      city: 'Lisbon',
      cuisine: 'Seafood',
      assigned_sales_rep: rep.id,
    })
    .select('id')
    .single();
  if (error) throw new Error(`seed restaurant: ${error.message}`);
  restaurantId = restaurant.id;

  const { data: bare, error: bareError } = await service
    .from('restaurants')
    .insert({ organisation_id: organisationId, name: 'Bare Diner' })
    .select('id')
    .single();
  if (bareError) throw new Error(`seed restaurant: ${bareError.message}`);
  bareRestaurantId = bare.id;

  db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

describe('private.render_message_with (shared vectors)', () => {
  const contexts = vectors.contexts as Record<string, unknown>;

  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { rows } = await db.query<{ rendered: unknown }>(
      'select private.render_message_with($1, $2::jsonb) as rendered',
      [c.template, JSON.stringify(contexts[c.context])],
    );
    expect(rows[0]!.rendered).toEqual(c.expected);
  });

  it('renders a null template as null text without warnings', async () => {
    const { rows } = await db.query<{ rendered: unknown }>(
      `select private.render_message_with(null, '{}') as rendered`,
    );
    expect(rows[0]!.rendered).toEqual({ text: null, warnings: [] });
  });
});

describe('private.render_message (context from the rows)', () => {
  const render = async (template: string, restaurant: string | null, assignee: string | null) => {
    const { rows } = await db.query<{ rendered: { text: string; warnings: unknown[] } }>(
      'select private.render_message($1, $2, $3) as rendered',
      [template, restaurant, assignee],
    );
    return rows[0]!.rendered;
  };

  it("fills every variable from the restaurant, the restaurant's rep and the organisation", async () => {
    expect(await render(everything, restaurantId, null)).toEqual({
      text: [
        'Harbour Bistro',
        'Ana María López',
        'Ana',
        'ana@harbourbistro.com',
        '+351 21 000 0000',
        'Lisbon',
        'Seafood',
        'Sam  Rep',
        'Sam',
        rep.email,
        organisationName,
      ].join('|'),
      warnings: [],
    });
  });

  it('uses the assignee as the rep when there is one', async () => {
    expect(await render('{rep_name} <{rep_email}>', restaurantId, member.id)).toEqual({
      text: `Morgan Member <${member.email}>`,
      warnings: [],
    });
  });

  it("ignores an assignee from another organisation (never reads another tenant's profile)", async () => {
    expect(await render('{rep_name|nobody} {rep_email|-}', restaurantId, outsider.id)).toEqual({
      text: 'nobody -',
      warnings: [],
    });
  });

  it('warns about what the restaurant lacks', async () => {
    expect(
      await render(
        'Hi {contact_first_name}, {restaurant_name} in {city|your city}',
        bareRestaurantId,
        null,
      ),
    ).toEqual({
      text: 'Hi , Bare Diner in your city',
      warnings: [{ variable: 'contact_first_name', problem: 'empty' }],
    });
  });

  it('without a restaurant only the placeholders with fallbacks fill', async () => {
    expect(await render('{restaurant_name|a lead} {organisation_name}', null, rep.id)).toEqual({
      text: 'a lead ',
      warnings: [{ variable: 'organisation_name', problem: 'empty' }],
    });
  });
});

describe('public.render_message_preview', () => {
  it("member previews a template for the organisation's restaurant", async () => {
    const { data, error } = await member.client.rpc('render_message_preview', {
      p_template:
        'Hi {contact_first_name|there}, {rep_first_name} here about {restaurant_name}. {oops}',
      p_restaurant_id: restaurantId,
    });
    expect(error).toBeNull();
    expect(data).toEqual({
      text: 'Hi Ana, Sam here about Harbour Bistro. {oops}',
      warnings: [{ variable: 'oops', problem: 'unknown' }],
    });
  });

  it("outsider cannot preview for another organisation's restaurant", async () => {
    const { data, error } = await outsider.client.rpc('render_message_preview', {
      p_template: '{contact_email}',
      p_restaurant_id: restaurantId,
    });
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
  });

  it('a restaurant that does not exist is refused the same way', async () => {
    const { error } = await member.client.rpc('render_message_preview', {
      p_template: '{contact_email}',
      p_restaurant_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(error?.code).toBe('42501');
  });

  it('anon cannot preview', async () => {
    const { data, error } = await anonClient().rpc('render_message_preview', {
      p_template: '{contact_email}',
      p_restaurant_id: restaurantId,
    });
    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });
});
