import {
  describeCron,
  nextCronTimes as domainNextCronTimes,
  validateCron,
} from '@forkflow/domain/cron';

// The schedule's rules are the domain's (packages/domain/src/cron.ts, the orchestrator's
// too): what passes here is what fires, at the times shown here.

/** Why `expression` is not a schedule, in words (the domain's); null when it is one. */
export function cronProblem(expression: string): string | null {
  const problem = validateCron(expression);
  return problem ? `Not a schedule: ${problem}` : null;
}

/** The next `count` times `expression` fires after `after` in `timeZone`; none if invalid. */
export function nextCronTimes(
  expression: string,
  after: Date,
  timeZone: string,
  count: number,
): Date[] {
  try {
    return domainNextCronTimes(expression, after, timeZone, count);
  } catch {
    return [];
  }
}

/** "At 09:00 on Monday to Friday", or the expression itself when it does not parse. */
export function cronInWords(expression: string): string {
  try {
    return describeCron(expression);
  } catch {
    return `Cron ${expression}`;
  }
}

/** A few common schedules for the dialog. */
export const CRON_PRESETS = [
  { label: 'Every weekday at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Every day at 08:00', cron: '0 8 * * *' },
  { label: 'Every Monday at 09:00', cron: '0 9 * * 1' },
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Every 15 minutes', cron: '*/15 * * * *' },
] as const;
