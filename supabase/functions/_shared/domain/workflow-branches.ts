// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { JsonPathError, parseJsonPath, queryJsonPath, type ParsedJsonPath } from './json-path.ts';
import type { NextStepChoice } from './workflow-branches/branch-taken.ts';
import type { WorkflowBranch } from './workflow-definition.ts';

export type { BranchTaken, NextStepChoice } from './workflow-branches/branch-taken.ts';

// Branches (issue 12 §5; docs/workflow-manager/branches.md): a step either names its
// successor (`next_step`) or chooses it from its output:
//
//   next: [{ when: "@.score > 50", step: "call", label: "high score" }, …], default: "nurture"
//
// `when` is an RFC 9535 filter expression about the step's recorded output (after its own
// output_map) as `@`. It is evaluated as the query `$[?<when>]` over the one-element array
// `[output]`, so it matches exactly when that query selects the output. The first branch
// that matches names the next step; none matching → `default`; a null (or absent) target
// ends the workflow. The orchestrator chooses (chooseNext), finish_workflow_steps accepts
// the choice only if it is one of successorsOf(step), the editor and the canvas draw
// successorsOf as edges. Pure: no I/O, the same code in the browser, Node and Deno.

/** The part of a step that decides what runs after it (a WorkflowStep fits). */
export type StepSuccession = {
  next_step?: string | null;
  next?: readonly WorkflowBranch[];
  default?: string | null;
};

/** A step chooses among branches when it has `next` or `default` (never with next_step). */
export const isBranching = (step: StepSuccession): boolean =>
  step.next !== undefined || step.default !== undefined;

/**
 * Every step that may run after `step`, null meaning "the workflow ends here": the
 * branches' targets in order, then the default (null when absent); for a linear step, its
 * next_step. Each target once.
 */
export function successorsOf(step: StepSuccession): (string | null)[] {
  if (!isBranching(step)) return [step.next_step ?? null];
  const targets = [...(step.next ?? []).map((branch) => branch.step), step.default ?? null];
  return [...new Set(targets)];
}

/** The query a `when` stands for. */
export const branchQuery = (when: string): string => `$[?${when}]`;

/**
 * Parses a `when` as `$[?<when>]`; throws JsonPathError when it does not parse or is more
 * than one filter (`@.a][0` would otherwise parse as a filter followed by an index and
 * select something else than the output).
 */
export function parseBranchWhen(when: string): ParsedJsonPath {
  const parsed = parseJsonPath(branchQuery(when));
  const segments = parsed.ast.segments;
  if (segments.length !== 1 || segments[0]?.selectors.length !== 1) {
    throw new JsonPathError(
      `"${when}" is not one filter expression about the step's output (e.g. @.score > 50)`,
    );
  }
  return parsed;
}

/** Whether `when` matches `output`. Throws JsonPathError when it cannot be parsed or evaluated. */
export function branchMatches(when: string, output: unknown): boolean {
  // undefined is not JSON: an output the executor left out is null in the job's step_data.
  return queryJsonPath(parseBranchWhen(when), [output ?? null]).length === 1;
}

/**
 * The step to run after `step` produced `output` (its recorded output, after its own
 * output_map): the first branch whose `when` matches, else the default, null ending the
 * workflow. Throws JsonPathError (naming the branch) when a `when` cannot be evaluated:
 * the orchestrator fails the step non-retryable as invalid_branch, since it would fail the
 * same way on every attempt.
 */
export function chooseNext(step: StepSuccession, output: unknown): NextStepChoice {
  if (!isBranching(step)) return { next: step.next_step ?? null, taken: 'next_step' };
  const branches = step.next ?? [];
  for (const [index, branch] of branches.entries()) {
    let matched: boolean;
    try {
      matched = branchMatches(branch.when, output);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new JsonPathError(`branch ${index} (when ${branch.when}): ${reason}`);
    }
    if (matched) {
      return {
        next: branch.step,
        taken: {
          index,
          ...(branch.label !== undefined ? { label: branch.label } : {}),
          when: branch.when,
        },
      };
    }
  }
  return { next: step.default ?? null, taken: 'default' };
}
