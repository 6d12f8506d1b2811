import { z } from 'zod';
import {
  MAX_HORIZON_DAYS,
  delayUnitSchema,
  type Delay,
  type DelayUnit,
} from './business-calendar.ts';
import { leadStageSchema } from './restaurants.ts';
import { TEXT_LIMITS } from './text-limits.ts';

// Sequence templates as the builder edits them and `public.save_sequence_template`
// receives them (docs/sequences-contract.md). The enumerations mirror the check
// constraints of the sequences migrations; change them together.

export const taskTypes = ['email', 'call', 'text', 'social_message', 'internal_activity'] as const;
export type TaskType = (typeof taskTypes)[number];
export const taskTypeSchema = z.enum(taskTypes);
export const taskTypeLabels: Record<TaskType, string> = {
  email: 'Email',
  call: 'Call',
  text: 'Text message',
  social_message: 'Social message',
  internal_activity: 'Internal activity',
};

/**
 * A sequence step is one of the task types, or `automated`: a workflow's job does it and its
 * end completes the task (issue 14, docs/automation-contract.md). Tasks made by hand never
 * are automated, so `taskTypes` stays the manual list.
 */
export const sequenceStepTypes = [...taskTypes, 'automated'] as const;
export type SequenceStepType = (typeof sequenceStepTypes)[number];
export const sequenceStepTypeSchema = z.enum(sequenceStepTypes);
export const sequenceStepTypeLabels: Record<SequenceStepType, string> = {
  ...taskTypeLabels,
  automated: 'Automated (workflow)',
};

export const taskPriorities = ['low', 'medium', 'high'] as const;
export type TaskPriority = (typeof taskPriorities)[number];
export const taskPrioritySchema = z.enum(taskPriorities);
export const taskPriorityLabels: Record<TaskPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const delayUnitLabels: Record<DelayUnit, { one: string; other: string }> = {
  minutes: { one: 'minute', other: 'minutes' },
  hours: { one: 'hour', other: 'hours' },
  days: { one: 'day', other: 'days' },
};

/** "2 days", "1 hour", "no delay". */
export function formatDelay(delay: Delay): string {
  if (delay.value === 0) return 'no delay';
  const label = delayUnitLabels[delay.unit];
  return `${delay.value} ${delay.value === 1 ? label.one : label.other}`;
}

export const SEQUENCE_NAME_MIN = 3;
export const SEQUENCE_NAME_MAX = 120;
export const SEQUENCE_STEP_NAME_MAX = 200;
export const SEQUENCE_MAX_STEPS = 50;
/** One bulk start (start_sequence_bulk): restaurants, and tasks (restaurants × steps). */
export const SEQUENCE_BULK_MAX_RESTAURANTS = 500;
export const SEQUENCE_BULK_MAX_TASKS = 5000;
export const SEQUENCE_MAX_TAGS = 20;
export const SEQUENCE_TAG_MAX = 40;
export const SEQUENCE_TEXT_MAX = TEXT_LIMITS.description;
export const SEQUENCE_MESSAGE_MAX = TEXT_LIMITS.body;

/** The longest delay of each unit a due date can be computed for (the calendar's horizon). */
export const maxDelayValue: Record<DelayUnit, number> = {
  minutes: MAX_HORIZON_DAYS * 24 * 60,
  hours: MAX_HORIZON_DAYS * 24,
  days: MAX_HORIZON_DAYS,
};

// Forms send '' for an empty field; the database wants null.
const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value && value.trim() ? value.trim() : null));

const optionalId = (message: string) =>
  z
    .union([z.uuid(message), z.literal('')])
    .nullish()
    .transform((value) => (value ? value : null));

// react-hook-form's valueAsNumber gives NaN for an empty number field.
const delayValueSchema = z
  .number({ error: 'Enter a delay (0 or more)' })
  .int('Use a whole number')
  .min(0, 'A delay cannot be negative');

function checkDelayLimit(
  value: number,
  unit: DelayUnit,
  ctx: z.RefinementCtx,
  path: (string | number)[],
) {
  if (Number.isFinite(value) && value > maxDelayValue[unit]) {
    ctx.addIssue({
      code: 'custom',
      message: `At most ${maxDelayValue[unit].toLocaleString('en-GB')} ${delayUnitLabels[unit].other}`,
      path,
    });
  }
}

// What the RPC receives as a step's input_map: JSON (kept shallow here: a recursive JSON type
// makes react-hook-form's path types too deep to compute).
type InputMapJson = { [input: string]: { [key: string]: string | number | boolean | null } };

/** Where a step's message comes from: nothing, a message template, or typed in the step. */
export const stepMessageSources = ['none', 'template', 'custom'] as const;
export type StepMessageSource = (typeof stepMessageSources)[number];

export const sequenceStepInputSchema = z
  .object({
    /** The saved step's id; absent for a step added in the builder. */
    id: z.uuid().optional(),
    name: z
      .string({ error: 'Name the step' })
      .trim()
      .min(1, 'Name the step')
      .max(SEQUENCE_STEP_NAME_MAX, `At most ${SEQUENCE_STEP_NAME_MAX} characters`),
    description: optionalText(SEQUENCE_TEXT_MAX, 'Description'),
    type: sequenceStepTypeSchema,
    priority: taskPrioritySchema,
    task_template_id: optionalId('Choose a task template'),
    /** Automated steps: the workflow, and where each of its inputs comes from. */
    workflow_id: optionalId('Choose a workflow'),
    // Its entries' shape is automated-steps.ts's (validateInputMap, with the workflow's
    // inputs); the save RPC checks it is an object of sources.
    input_map: z
      .record(z.string(), z.unknown())
      .nullish()
      .transform((map) => (map ?? {}) as InputMapJson),
    message_source: z.enum(stepMessageSources),
    message_template_id: z.string().nullish(),
    custom_message: z.string().nullish(),
    delay_value: delayValueSchema,
    delay_unit: delayUnitSchema,
    assigned_to_override: optionalId('Choose a member of this organisation'),
  })
  .superRefine((step, ctx) => {
    checkDelayLimit(step.delay_value, step.delay_unit, ctx, ['delay_value']);
    if (step.type === 'automated') {
      if (!step.workflow_id) {
        ctx.addIssue({ code: 'custom', message: 'Choose a workflow', path: ['workflow_id'] });
      }
      // An automated task has no message (the contract): its other fields are not checked.
      return;
    }
    if (
      step.message_source === 'template' &&
      !z.uuid().safeParse(step.message_template_id).success
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'Choose a message template',
        path: ['message_template_id'],
      });
    }
    if (step.message_source === 'custom') {
      const text = step.custom_message?.trim() ?? '';
      if (!text) {
        ctx.addIssue({ code: 'custom', message: 'Write the message', path: ['custom_message'] });
      } else if (text.length > SEQUENCE_MESSAGE_MAX) {
        ctx.addIssue({
          code: 'custom',
          message: `At most ${SEQUENCE_MESSAGE_MAX.toLocaleString('en-GB')} characters`,
          path: ['custom_message'],
        });
      }
    }
  })
  // Only the chosen message source is kept: a step never carries both. (The output
  // parses again to itself, so the mutation can validate what the form hands it.)
  .transform(({ message_template_id, custom_message, ...step }) => {
    // An automated step keeps only its workflow and inputs; any other step neither.
    if (step.type === 'automated') {
      return {
        ...step,
        task_template_id: null,
        message_source: 'none' as StepMessageSource,
        message_template_id: null,
        custom_message: null,
      };
    }
    return {
      ...step,
      workflow_id: null,
      input_map: {} as InputMapJson,
      message_template_id:
        step.message_source === 'template' ? (message_template_id ?? null) : null,
      custom_message: step.message_source === 'custom' ? (custom_message?.trim() ?? null) : null,
    };
  });

const tagSchema = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(SEQUENCE_TAG_MAX, `A tag is at most ${SEQUENCE_TAG_MAX} characters`);

/** "Demo follow-up " → "demo follow-up": tags compare case-insensitively. */
export const normaliseTag = (tag: string) => tag.trim().replace(/\s+/g, ' ').toLowerCase();

export const sequenceTemplateInputSchema = z
  .object({
    /** Present when editing a saved template. */
    id: z.uuid().optional(),
    name: z
      .string({ error: 'Name the sequence' })
      .trim()
      .min(SEQUENCE_NAME_MIN, `The name needs at least ${SEQUENCE_NAME_MIN} characters`)
      .max(SEQUENCE_NAME_MAX, `At most ${SEQUENCE_NAME_MAX} characters`),
    description: optionalText(SEQUENCE_TEXT_MAX, 'Description'),
    tags: z
      .array(tagSchema)
      .max(SEQUENCE_MAX_TAGS, `At most ${SEQUENCE_MAX_TAGS} tags`)
      .transform((tags) => [...new Set(tags.map(normaliseTag))]),
    is_active: z.boolean(),
    start_delay_value: delayValueSchema,
    start_delay_unit: delayUnitSchema,
    exit_stages: z.array(leadStageSchema).transform((stages) => [...new Set(stages)]),
    steps: z
      .array(sequenceStepInputSchema)
      .min(1, 'Add at least one step')
      .max(SEQUENCE_MAX_STEPS, `At most ${SEQUENCE_MAX_STEPS} steps`),
  })
  .superRefine((template, ctx) => {
    checkDelayLimit(template.start_delay_value, template.start_delay_unit, ctx, [
      'start_delay_value',
    ]);
  });

/** What the builder form holds. */
export type SequenceTemplateFormValues = z.input<typeof sequenceTemplateInputSchema>;
export type SequenceStepFormValues = z.input<typeof sequenceStepInputSchema>;
/** What is saved. */
export type SequenceTemplateInput = z.output<typeof sequenceTemplateInputSchema>;
export type SequenceStepInput = z.output<typeof sequenceStepInputSchema>;

export const emptySequenceStep = {
  name: '',
  description: '',
  type: 'call',
  priority: 'medium',
  task_template_id: '',
  message_source: 'none',
  message_template_id: '',
  custom_message: '',
  delay_value: 1,
  delay_unit: 'days',
  assigned_to_override: '',
  workflow_id: '',
  input_map: {},
} satisfies SequenceStepFormValues;

export const emptySequenceTemplateFormValues = {
  name: '',
  description: '',
  tags: [],
  is_active: true,
  start_delay_value: 0,
  start_delay_unit: 'days',
  exit_stages: [],
  // The first step usually happens as soon as the sequence starts.
  steps: [{ ...emptySequenceStep, delay_value: 0 }],
} satisfies SequenceTemplateFormValues;

/**
 * The two arguments of `public.save_sequence_template(p_template, p_steps)`. The RPC
 * numbers the steps by their position; a step with an id updates that step, so its
 * analytics carry on. `organisation_id` is only read when creating.
 */
export function toSaveSequenceTemplateArgs(organisationId: string, input: SequenceTemplateInput) {
  const { steps, ...template } = input;
  return {
    p_template: { ...template, organisation_id: organisationId },
    p_steps: steps.map(({ message_source: _source, ...step }, index) => ({
      ...step,
      step_order: index + 1,
    })),
  };
}

// Database rows: generated types see the enumerations as plain text.
type SequenceTemplateRow = {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  is_active: boolean;
  start_delay_value: number;
  start_delay_unit: string;
  exit_stages: string[];
};
type SequenceStepRow = {
  id: string;
  step_order: number;
  name: string;
  description: string | null;
  type: string;
  priority: string;
  task_template_id: string | null;
  message_template_id: string | null;
  custom_message: string | null;
  delay_value: number;
  delay_unit: string;
  assigned_to_override: string | null;
  workflow_id?: string | null;
  input_map?: unknown;
};

const pick = <T extends string>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
};

export function sequenceStepToFormValues(step: SequenceStepRow): SequenceStepFormValues {
  return {
    id: step.id,
    name: step.name,
    description: step.description ?? '',
    type: pick(sequenceStepTypeSchema, step.type, 'internal_activity'),
    priority: pick(taskPrioritySchema, step.priority, 'medium'),
    task_template_id: step.task_template_id ?? '',
    message_source: step.message_template_id ? 'template' : step.custom_message ? 'custom' : 'none',
    message_template_id: step.message_template_id ?? '',
    custom_message: step.custom_message ?? '',
    delay_value: step.delay_value,
    delay_unit: pick(delayUnitSchema, step.delay_unit, 'days'),
    assigned_to_override: step.assigned_to_override ?? '',
    workflow_id: step.workflow_id ?? '',
    input_map: isPlainObject(step.input_map) ? step.input_map : {},
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Builder values for a saved template and its steps. */
export function sequenceTemplateToFormValues(
  template: SequenceTemplateRow,
  steps: SequenceStepRow[],
): SequenceTemplateFormValues {
  return {
    id: template.id,
    name: template.name,
    description: template.description ?? '',
    tags: template.tags,
    is_active: template.is_active,
    start_delay_value: template.start_delay_value,
    start_delay_unit: pick(delayUnitSchema, template.start_delay_unit, 'days'),
    exit_stages: template.exit_stages.flatMap((stage) => {
      const parsed = leadStageSchema.safeParse(stage);
      return parsed.success ? [parsed.data] : [];
    }),
    steps: [...steps].sort((a, b) => a.step_order - b.step_order).map(sequenceStepToFormValues),
  };
}

/** "Copy of Demo follow-up", kept within the name limit. */
export function copyName(name: string): string {
  return `Copy of ${name}`.slice(0, SEQUENCE_NAME_MAX).trimEnd();
}
