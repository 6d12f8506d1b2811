// Message rendering (docs/sequences-contract.md, "Message rendering"). The SQL twin is
// private.render_message_with in supabase/migrations/20261122001050_message_rendering.sql;
// packages/domain/test-vectors/message-template.json holds the cases both must pass.
//
// A placeholder is "{", a variable name ([A-Za-z_][A-Za-z0-9_]*), optionally "|" and a
// fallback without braces, then "}"; spaces around the name are allowed. Other text in
// braces is left alone. Values and fallbacks are trimmed; a value that is missing or blank
// is empty. Unknown variable: left as written, warning "unknown". Known and empty: the
// fallback if there is one (an empty fallback "{x|}" means "empty is fine"), otherwise ''
// with warning "empty". Warnings are listed once per variable and problem, in order.

export const KNOWN_VARIABLES = [
  'restaurant_name',
  'contact_name',
  'contact_first_name',
  'contact_email',
  'contact_phone',
  'city',
  'cuisine',
  'rep_name',
  'rep_first_name',
  'rep_email',
  'organisation_name',
] as const;
export type KnownVariable = (typeof KNOWN_VARIABLES)[number];

/** For a variable picker: what each variable is filled with. */
export const variableDescriptions: Record<KnownVariable, string> = {
  restaurant_name: "The restaurant's name",
  contact_name: "The restaurant contact's full name",
  contact_first_name: "The contact's first name",
  contact_email: "The contact's email",
  contact_phone: "The contact's phone number",
  city: "The restaurant's city",
  cuisine: "The restaurant's cuisine",
  rep_name: "The assigned rep's full name",
  rep_first_name: "The assigned rep's first name",
  rep_email: "The assigned rep's email",
  organisation_name: 'Your organisation',
};

const KNOWN = new Set<string>(KNOWN_VARIABLES);

export const isKnownVariable = (name: string): name is KnownVariable => KNOWN.has(name);

export type MessageContext = Partial<Record<KnownVariable, string | null>>;

export type RenderProblem = 'unknown' | 'empty';

export interface RenderWarning {
  variable: string;
  problem: RenderProblem;
}

export interface RenderedMessage {
  text: string;
  warnings: RenderWarning[];
}

export interface Placeholder {
  /** As written, braces included. */
  raw: string;
  variable: string;
  /** null without "|"; '' for "{x|}". Trimmed. */
  fallback: string | null;
  known: boolean;
  /** Offsets in the template: raw === template.slice(start, end). */
  start: number;
  end: number;
}

// Groups: 1 the name, 2 the fallback (undefined when no "|"). Same as the SQL pattern.
const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\}/g;

const trim = (value: string) => value.replace(/^\s+|\s+$/g, '');

/** Every placeholder in a template, in order. */
export function parsePlaceholders(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => {
    const variable = match[1]!;
    return {
      raw: match[0],
      variable,
      fallback: match[2] === undefined ? null : trim(match[2]),
      known: isKnownVariable(variable),
      start: match.index,
      end: match.index + match[0].length,
    };
  });
}

function addWarning(warnings: RenderWarning[], warning: RenderWarning): void {
  const seen = warnings.some(
    (w) => w.variable === warning.variable && w.problem === warning.problem,
  );
  if (!seen) warnings.push(warning);
}

/** Fills the placeholders from `context`; see the rules at the top. */
export function renderMessage(template: string, context: MessageContext): RenderedMessage {
  const warnings: RenderWarning[] = [];
  let text = '';
  let at = 0;
  for (const placeholder of parsePlaceholders(template)) {
    text += template.slice(at, placeholder.start);
    at = placeholder.end;
    if (!placeholder.known) {
      text += placeholder.raw;
      addWarning(warnings, { variable: placeholder.variable, problem: 'unknown' });
      continue;
    }
    const raw: unknown = context[placeholder.variable as KnownVariable];
    const value = raw === null || raw === undefined ? '' : trim(String(raw));
    if (value !== '') {
      text += value;
    } else if (placeholder.fallback !== null) {
      text += placeholder.fallback;
    } else {
      addWarning(warnings, { variable: placeholder.variable, problem: 'empty' });
    }
  }
  return { text: text + template.slice(at), warnings };
}

/** What to warn about when a template is saved: variables that will never be filled. */
export function templateWarnings(template: string): RenderWarning[] {
  const warnings: RenderWarning[] = [];
  for (const placeholder of parsePlaceholders(template)) {
    if (!placeholder.known) {
      addWarning(warnings, { variable: placeholder.variable, problem: 'unknown' });
    }
  }
  return warnings;
}

/** "Ana María López" → "Ana"; null when there is no name. Same as the SQL. */
export function firstName(fullName: string | null | undefined): string | null {
  return (fullName && /^\s*(\S+)/.exec(fullName)?.[1]) || null;
}

/**
 * The context private.render_message builds, from rows the client already has: the
 * restaurant, the rep (the task's assignee, or the restaurant's rep) and the organisation.
 */
export function messageContextFor(input: {
  restaurant?: {
    name?: string | null;
    contact_name?: string | null;
    contact_email?: string | null;
    contact_phone?: string | null;
    city?: string | null;
    cuisine?: string | null;
  } | null;
  rep?: { full_name?: string | null; email?: string | null } | null;
  organisation?: { name?: string | null } | null;
}): MessageContext {
  const { restaurant, rep, organisation } = input;
  return {
    restaurant_name: restaurant?.name ?? null,
    contact_name: restaurant?.contact_name ?? null,
    contact_first_name: firstName(restaurant?.contact_name),
    contact_email: restaurant?.contact_email ?? null,
    contact_phone: restaurant?.contact_phone ?? null,
    city: restaurant?.city ?? null,
    cuisine: restaurant?.cuisine ?? null,
    rep_name: rep?.full_name ?? null,
    rep_first_name: firstName(rep?.full_name),
    rep_email: rep?.email ?? null,
    organisation_name: organisation?.name ?? null,
  };
}
