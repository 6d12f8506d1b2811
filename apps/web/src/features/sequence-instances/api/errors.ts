import type { PostgrestError } from '@supabase/supabase-js';
import { AppError, raise } from '@/lib/errors';

const sentence = (text: string) => {
  const trimmed = text.trim().replace(/[.]$/, '');
  return trimmed ? `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}.` : '';
};

/**
 * The sequence RPCs explain their refusals (docs/sequences-contract.md): 23505 "this
 * restaurant already runs …" (HTTP 409), 22023 a state that forbids the call, P0002 not
 * visible. Show their words, with the hint; anything else gets the generic message.
 */
export function raiseSequenceError(error: PostgrestError): never {
  if (['23505', '22023', 'P0002'].includes(error.code) && error.message) {
    const text = [sentence(error.message), error.hint ? sentence(error.hint) : '']
      .filter(Boolean)
      .join(' ');
    throw new AppError(text, { code: error.code, cause: error });
  }
  raise(error);
}

/** A start refused because the restaurant already runs this template. */
export const isAlreadyRunning = (error: unknown) =>
  error instanceof AppError && error.code === '23505';
