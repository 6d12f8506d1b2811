// Structured logs: one JSON object per line, so the platform's log explorer (and `jq` on the
// local stack's functions.log) can filter on job_id, step_id, outcome and so on.
// Fields with undefined values are dropped by JSON.stringify.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
