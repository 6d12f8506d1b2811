// The app events a trigger can wait for, as the contract defines their payloads
// (docs/automation-contract.md, "Triggers"): a label for the select, the sentence the list
// shows, and the payload fields with an example, so a filter can be written without reading
// the contract. The event names themselves are the database's (workflow_triggers check).

export const EVENT_TYPES = [
  'restaurant.stage_changed',
  'task.completed',
  'sequence.ended',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: unknown): value is EventType =>
  typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);

export const eventLabels: Record<EventType, string> = {
  'restaurant.stage_changed': "A restaurant's stage changes",
  'task.completed': 'A task is completed',
  'sequence.ended': 'A sequence ends',
};

/** "When a restaurant's stage changes" (the list's sentence starts with it). */
export const eventSentences: Record<EventType, string> = {
  'restaurant.stage_changed': "When a restaurant's stage changes",
  'task.completed': 'When a task is completed',
  'sequence.ended': 'When a sequence ends',
};

/** Payload fields worth filtering on, with an example filter each. */
export const eventFields: Record<EventType, { path: string; example: string }[]> = {
  'restaurant.stage_changed': [
    { path: '@.to_stage', example: "@.to_stage == 'demo_done'" },
    { path: '@.from_stage', example: "@.from_stage == 'qualified'" },
    { path: '@.restaurant.city', example: "@.restaurant.city == 'Porthaven'" },
    { path: '@.restaurant.lead_warmth', example: "@.restaurant.lead_warmth == 'hot'" },
  ],
  'task.completed': [
    { path: '@.task.type', example: "@.task.type == 'call'" },
    { path: '@.task.call_outcome', example: "@.task.call_outcome == 'connected'" },
    { path: '@.task.name', example: "@.task.name == 'Conduct demo'" },
    { path: '@.task.sequence_step_order', example: '@.task.sequence_step_order == 3' },
  ],
  'sequence.ended': [
    { path: '@.sequence.status', example: "@.sequence.status == 'completed'" },
    { path: '@.sequence.exit_reason', example: '@.sequence.exit_reason != null' },
    { path: '@.sequence.name', example: "@.sequence.name == 'Demo Follow-up'" },
  ],
};

/** A whole example payload per event, shown under the filter field. */
export const eventExamples: Record<EventType, Record<string, unknown>> = {
  'restaurant.stage_changed': {
    event: 'restaurant.stage_changed',
    restaurant_id: '…',
    restaurant: {
      id: '…',
      name: 'Harbour Grill',
      city: 'Porthaven',
      lead_stage: 'demo_done',
      lead_warmth: 'hot',
      lead_status: 'active',
      assigned_sales_rep: '…',
    },
    from_stage: 'demo_booked',
    to_stage: 'demo_done',
    actor_id: '…',
    occurred_at: '2026-12-04T09:00:00Z',
  },
  'task.completed': {
    event: 'task.completed',
    task_id: '…',
    task: {
      id: '…',
      name: 'Conduct demo',
      type: 'call',
      restaurant_id: '…',
      sequence_instance_id: '…',
      sequence_step_order: 3,
      assigned_to: '…',
      call_outcome: 'connected',
    },
    restaurant_id: '…',
    actor_id: '…',
    occurred_at: '2026-12-04T09:00:00Z',
  },
  'sequence.ended': {
    event: 'sequence.ended',
    sequence_instance_id: '…',
    sequence: {
      id: '…',
      name: 'Demo Follow-up',
      sequence_template_id: '…',
      status: 'completed',
      exit_reason: null,
    },
    restaurant_id: '…',
    occurred_at: '2026-12-04T09:00:00Z',
  },
};
