// Identifier shapes checked at every edge (the web app's forms and URLs, the edge functions'
// inputs) before a value reaches the database.

/** A UUID in its canonical text form, any version, either case: what Postgres' uuid prints. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/**
 * A workflow's human key, as the workflows_key_format check in SQL: 1 to 63 lower-case
 * letters, digits, _ or -, starting with a letter or digit. A UUID can match it too:
 * where either is accepted (list-jobs' workflow_id), the UUID is tried first.
 */
export const WORKFLOW_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
