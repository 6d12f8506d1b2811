import { createContext, type ReactNode } from 'react';

/** What a task card tells a slot about its task (a subset of the list's task row). */
export type TaskSlotTask = {
  id: string;
  name: string;
  status: string;
  sequence_step_order: number | null;
  sequence_instance: { id: string; status: string } | null;
};

/**
 * Extra controls the app puts on every sequence task's card — the sequence-instances
 * feature's "Edit sequence" (issue 13 §3) — without the tasks feature importing another
 * feature (the lint zones forbid it). No provider: no slot.
 */
export const TaskSequenceSlotContext = createContext<((task: TaskSlotTask) => ReactNode) | null>(
  null,
);
