import { z } from 'zod';

/**
 * A zod schema for a JSON object typed as text (a job's input, a workflow definition): the
 * text is parsed, and must be an object. `empty` is the message for blank text; without it
 * blank text is `{}`. `invalid` gets the parser's reason.
 */
export function jsonObjectFromText(messages: {
  empty?: string;
  invalid: (reason: string) => string;
  notObject: string;
}) {
  return z.string().transform((text, ctx) => {
    if (!text.trim()) {
      if (messages.empty === undefined) return {} as Record<string, unknown>;
      ctx.addIssue({ code: 'custom', message: messages.empty });
      return z.NEVER;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'check the syntax';
      ctx.addIssue({ code: 'custom', message: messages.invalid(reason) });
      return z.NEVER;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: messages.notObject });
      return z.NEVER;
    }
    return value as Record<string, unknown>;
  });
}
