// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
// The longest text each kind of free-text field takes, in characters. One home for the
// numbers: the web forms validate against them, and the limits migration
// (supabase/migrations/20261122005000_limits.sql) puts the same number in a check constraint
// on every such column, so a client that skips the forms meets the same limit as a 400;
// supabase/tests/security-limits.test.ts fails when the two disagree. Generous on purpose:
// they stop a stranger storing megabytes in a notes field, not a long honest note.
export const TEXT_LIMITS = {
  /** A person's or place's name, a city, a cuisine. */
  short: 200,
  /** RFC 5321's longest address. */
  email: 320,
  /** Phone numbers in any national format, with spaces and punctuation. */
  phone: 40,
  address: 500,
  website: 500,
  /** A picture's address (an OAuth provider's can carry long signed query strings). */
  url: 2048,
  subject: 300,
  description: 2000,
  /** Notes and message bodies a person writes. */
  body: 10_000,
  /** A task's message after its template's placeholders are filled in. */
  renderedMessage: 50_000,
} as const;

/** A row's free-form metadata (jsonb), as JSON text, in bytes. */
export const METADATA_MAX_BYTES = 64 * 1024;
