import { parseBranchWhen } from '@forkflow/domain/workflow-branches';

// An event trigger's filter has the syntax of a branch's `when` (the contract, "Triggers"):
// one RFC 9535 filter expression about the event's payload as `@`. The domain's parser is
// the one the dispatcher evaluates with, so what passes here is what it can run.

/** Why `filter` cannot be evaluated, in words; null when it parses. */
export function filterProblem(filter: string): string | null {
  try {
    parseBranchWhen(filter);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The branch parser speaks of "the step's output": here `@` is the event's payload.
    return `Not a filter the trigger can run: ${reason.replace("the step's output", "the event's payload")}`;
  }
}
