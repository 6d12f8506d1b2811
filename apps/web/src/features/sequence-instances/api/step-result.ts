import { z } from 'zod';
import { AppError } from '@/lib/errors';

// What insert_sequence_task, update_sequence_task_delay and delete_sequence_task answer
// (docs/sequences-contract.md): { task, next_task, instance, warnings }. Only what the
// dialogs show is checked.

const stepSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  sequence_step_order: z.number().nullable().optional(),
});

const stepResultSchema = z.object({
  task: stepSchema.nullable().optional().default(null),
  next_task: stepSchema.nullable().optional().default(null),
  instance: z
    .looseObject({ id: z.string(), name: z.string().optional(), status: z.string() })
    .nullable()
    .optional()
    .default(null),
  warnings: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((value) => value ?? []),
});

export type StepResult = z.output<typeof stepResultSchema>;

export function parseStepResult(data: unknown): StepResult {
  const parsed = stepResultSchema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('The server answered in a way this page doesn’t understand. Reload.', {
      code: 'bad_response',
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The RPCs' warnings are lower-case clauses; a toast shows them as sentences. */
export function warningSentences(warnings: string[]): string {
  return warnings
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => {
      const capital = `${text[0]?.toUpperCase()}${text.slice(1)}`;
      return /[.!?]$/.test(capital) ? capital : `${capital}.`;
    })
    .join(' ');
}
