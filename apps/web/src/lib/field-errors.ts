import { FunctionError } from './edge-functions';
import { getErrorMessage } from './errors';

/** A server refusal, split into what belongs next to a field and what goes in the summary. */
export type ServerProblem = {
  title: string;
  /** Every problem, in words (the summary lists them all, field ones included). */
  messages: string[];
  /** Form field name (react-hook-form path) → message, for the details a form could place. */
  fields: Record<string, string>;
};

/**
 * Reads a save function's 400 `details` (`path` as `variables.2.name`): `fieldFor` turns a
 * server path into the form's field name (or null when the form has no such field). Every
 * message also goes in the summary, so nothing is lost when a field is scrolled away.
 */
export function describeServerProblem(
  error: unknown,
  title: string,
  fieldFor: (path: string) => string | null,
  /** Error code → field, for refusals that name no path (409 `slug_taken` is the slug's). */
  codeFields: Record<string, string> = {},
): ServerProblem {
  if (!(error instanceof FunctionError) || error.details.length === 0) {
    const message = getErrorMessage(error);
    const field = error instanceof FunctionError && error.code ? codeFields[error.code] : undefined;
    return { title, messages: [message], fields: field ? { [field]: message } : {} };
  }
  const fields: Record<string, string> = {};
  const messages = error.details.map((detail) => {
    const field = detail.path ? fieldFor(detail.path) : null;
    if (field && !fields[field]) fields[field] = detail.message;
    // A placed message is read beside its field; one that isn't needs its path to be found.
    return detail.path && !field ? `${detail.path}: ${detail.message}` : detail.message;
  });
  return { title, messages, fields };
}
