// What a rep records when finishing a call task: complete_task's p_outcome, kept in
// tasks.metadata.call_outcome. The database checks the same list (…007500_task_undo_and_snooze).

export const callOutcomes = ['connected', 'voicemail', 'no_answer'] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export const callOutcomeLabels: Record<CallOutcome, string> = {
  connected: 'Connected',
  voicemail: 'Voicemail',
  no_answer: 'No answer',
};
