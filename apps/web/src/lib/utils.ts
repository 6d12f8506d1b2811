import { APP_LOCALE, formatDateInZone, formatDateTimeInZone } from './format-in-zone';

/** Join class names, skipping falsy ones. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(' ');
}

/** Initials for an avatar: "Remy Rep" → "RR", "remy@x.test" → "R". */
export function initials(name: string): string {
  const words = name
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters.map((word) => word?.[0]?.toUpperCase() ?? '').join('') || '?';
}

const relativeFormat = new Intl.RelativeTimeFormat(APP_LOCALE, { numeric: 'auto' });

// One format everywhere (lib/format-in-zone.ts): the organisation's zone, British English.
export const formatDate = (iso: string) => formatDateInZone(new Date(iso));
export const formatDateTime = (iso: string) => formatDateTimeInZone(new Date(iso));

/** "3 days ago", "yesterday", falling back to a date after a month. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return relativeFormat.format(Math.round(seconds / 86_400), 'day');
  return formatDate(iso);
}
