import { describe, expect, it } from 'vitest';
import vectors from '../test-vectors/message-template.json' with { type: 'json' };
import {
  KNOWN_VARIABLES,
  firstName,
  messageContextFor,
  parsePlaceholders,
  renderMessage,
  templateWarnings,
  variableDescriptions,
  type MessageContext,
} from './message-template.ts';

// The shared vectors (also run against SQL by supabase/tests/message-rendering.test.ts),
// then the helpers only the TypeScript side has.

const contexts = vectors.contexts as Record<string, MessageContext>;

describe('renderMessage (shared vectors)', () => {
  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const context = contexts[c.context];
    if (!context) throw new Error(`no context "${c.context}" in the vectors`);
    expect(renderMessage(c.template, context)).toEqual(c.expected);
  });
});

describe('parsePlaceholders', () => {
  it('finds each placeholder with its fallback and position', () => {
    const template = 'Hi {contact_first_name|there}, {nickname} { city }';
    const found = parsePlaceholders(template);
    expect(found).toEqual([
      {
        raw: '{contact_first_name|there}',
        variable: 'contact_first_name',
        fallback: 'there',
        known: true,
        start: 3,
        end: 29,
      },
      { raw: '{nickname}', variable: 'nickname', fallback: null, known: false, start: 31, end: 41 },
      { raw: '{ city }', variable: 'city', fallback: null, known: true, start: 42, end: 50 },
    ]);
    for (const p of found) expect(template.slice(p.start, p.end)).toBe(p.raw);
  });

  it('tells an empty fallback from none', () => {
    expect(parsePlaceholders('{city|}')[0]?.fallback).toBe('');
    expect(parsePlaceholders('{city}')[0]?.fallback).toBeNull();
  });

  it('ignores braces that are not placeholders', () => {
    expect(parsePlaceholders('{} {1x} {a b} {"k": 1}')).toEqual([]);
  });
});

describe('templateWarnings', () => {
  it('lists unknown variables once each, in order', () => {
    expect(templateWarnings('{foo} {restaurant_name} {bar|x} {foo}')).toEqual([
      { variable: 'foo', problem: 'unknown' },
      { variable: 'bar', problem: 'unknown' },
    ]);
  });

  it('says nothing about known variables, even ones that may be empty later', () => {
    expect(templateWarnings('Hi {contact_first_name}, from {rep_name}')).toEqual([]);
  });
});

describe('messageContextFor', () => {
  it('builds the context the SQL builds, first names included', () => {
    expect(
      messageContextFor({
        restaurant: {
          name: 'Harbour Bistro',
          contact_name: '  Ana María López',
          contact_email: 'ana@harbourbistro.com',
          contact_phone: null,
          city: 'Lisbon',
          cuisine: 'Seafood',
        },
        rep: { full_name: 'Sam Rep', email: 'sam@forkflow.test' },
        organisation: { name: 'Forkflow Demo' },
      }),
    ).toEqual({
      restaurant_name: 'Harbour Bistro',
      contact_name: '  Ana María López',
      contact_first_name: 'Ana',
      contact_email: 'ana@harbourbistro.com',
      contact_phone: null,
      city: 'Lisbon',
      cuisine: 'Seafood',
      rep_name: 'Sam Rep',
      rep_first_name: 'Sam',
      rep_email: 'sam@forkflow.test',
      organisation_name: 'Forkflow Demo',
    });
  });

  it('leaves everything empty without rows', () => {
    const context = messageContextFor({});
    expect(Object.keys(context).sort()).toEqual([...KNOWN_VARIABLES].sort());
    expect(Object.values(context).every((v) => v === null)).toBe(true);
  });

  it.each([
    ['Sam', 'Sam'],
    ['  Sam   Rep ', 'Sam'],
    ['', null],
    ['   ', null],
    [null, null],
  ])('firstName(%j) is %j', (input, expected) => expect(firstName(input)).toBe(expected));
});

it('describes every known variable', () => {
  expect(Object.keys(variableDescriptions).sort()).toEqual([...KNOWN_VARIABLES].sort());
});
