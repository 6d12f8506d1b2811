// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
// Why a step's successor was chosen (workflow-branches.ts: chooseNext). Its own module, free
// of the JSONPath engine's npm imports, so the executor protocol (which Node's tsc checks
// through the tests) can name it without resolving `npm:` specifiers.
export type BranchTaken =
  | { index: number; label?: string; when: string }
  | 'default'
  /** A linear step: its `next_step`. */
  | 'next_step';

export type NextStepChoice = { next: string | null; taken: BranchTaken };
