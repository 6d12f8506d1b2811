import {
  leadStageLabels,
  leadStatusLabels,
  leadWarmthLabels,
  type LeadStage,
  type LeadStatus,
  type LeadWarmth,
} from '@forkflow/domain/restaurants';
import type { TimelineEntry } from './timeline-queries';

const callOutcomeLabels: Record<string, string> = {
  connected: 'connected',
  voicemail: 'left a voicemail',
  no_answer: 'no answer',
};

const label = <K extends string>(labels: Record<K, string>, value: string | null) =>
  value === null ? 'none' : (labels[value as K] ?? value);

const text = (details: TimelineEntry['details'], key: string): string | null => {
  const value = (details as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' && value ? value : null;
};

/**
 * What an entry says, in words: a title ("Stage: New → Contacted") and, when there is one, a
 * detail line (the call outcome, the skip reason, why a sequence ended, the new notes).
 */
export function describeActivity(
  entry: TimelineEntry,
  repName: (id: string | null) => string,
): { title: string; detail: string | null } {
  const name = text(entry.details, 'name');
  const quoted = name ? `“${name}”` : '';
  switch (entry.kind) {
    case 'stage_changed':
      return {
        title: `Stage: ${label<LeadStage>(leadStageLabels, entry.from_value)} → ${label<LeadStage>(leadStageLabels, entry.to_value)}`,
        detail: null,
      };
    case 'warmth_changed':
      return {
        title: `Warmth: ${label<LeadWarmth>(leadWarmthLabels, entry.from_value)} → ${label<LeadWarmth>(leadWarmthLabels, entry.to_value)}`,
        detail: null,
      };
    case 'status_changed':
      return {
        title: `Status: ${label<LeadStatus>(leadStatusLabels, entry.from_value)} → ${label<LeadStatus>(leadStatusLabels, entry.to_value)}`,
        detail: null,
      };
    case 'rep_changed':
      return {
        title: `Rep: ${repName(entry.from_value)} → ${repName(entry.to_value)}`,
        detail: null,
      };
    case 'notes_changed':
      return {
        title: entry.to_value ? 'Notes changed' : 'Notes cleared',
        detail: entry.to_value,
      };
    case 'task_completed': {
      const outcome = text(entry.details, 'call_outcome');
      return {
        title: `Completed ${quoted || 'a task'}`,
        detail: outcome ? `Call: ${callOutcomeLabels[outcome] ?? outcome}` : null,
      };
    }
    case 'task_skipped': {
      const reason = text(entry.details, 'skip_reason');
      return {
        title: `Skipped ${quoted || 'a task'}`,
        detail: reason ? `Reason: ${reason}` : null,
      };
    }
    case 'task_reopened':
      return { title: `Reopened ${quoted || 'a task'}`, detail: null };
    case 'sequence_started':
      return {
        title: `Started sequence ${quoted}`,
        detail: text(entry.details, 'restarted_from') ? 'A restart of an earlier run' : null,
      };
    case 'sequence_paused':
      return { title: `Paused sequence ${quoted}`, detail: null };
    case 'sequence_resumed':
      return { title: `Resumed sequence ${quoted}`, detail: null };
    case 'sequence_completed':
      return { title: `Sequence ${quoted} completed`, detail: null };
    case 'sequence_exited':
      return {
        title: `Sequence ${quoted} ended by the stage change`,
        detail: text(entry.details, 'reason'),
      };
    case 'sequence_cancelled':
      return { title: `Cancelled sequence ${quoted}`, detail: text(entry.details, 'reason') };
    default:
      return { title: entry.kind.replaceAll('_', ' '), detail: null };
  }
}
