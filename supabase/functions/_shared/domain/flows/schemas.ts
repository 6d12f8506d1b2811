// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { z } from 'npm:zod@^4.1.0';
import { UUID_PATTERN } from '../ids.ts';
import { INPUT_NAME_PATTERN } from '../workflow-inputs.ts';

// Environments, projects and flow sequences (seed 000, issue 11): the shapes stored in their
// jsonb columns and accepted by save-environment, save-project and save-flow-sequence. One
// home for every shape; docs/projects-contract.md explains them.

/** How a secret's value is shown everywhere it would appear: pages, API answers, run records. */
export const SECRET_MASK = '••••';

export const MAX_VARIABLES = 100;
export const MAX_API_HOSTS = 50;
export const MAX_SEQUENCE_PARAMETERS = 50;
/** A sequence is short (seed 000: "around 5 flows"); this bounds what a run can chain. */
export const MAX_FLOWS = 20;
export const MAX_ASSERTIONS_PER_FLOW = 20;
/** A variable's or parameter's value as text. */
export const MAX_VALUE_LENGTH = 10_000;

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** Variable, parameter and API host names: JSON members readable as `$.variables.<name>`. */
export const variableNameSchema = z
  .string()
  .min(1, 'A name is required')
  .max(100)
  .regex(INPUT_NAME_PATTERN, 'A name starts with a letter or _ and has only letters, digits and _');

const uniqueNames = <T extends { name: string }>(items: T[]) =>
  new Set(items.map((item) => item.name)).size === items.length;

/** Named base URLs (`crm_api = https://api.crm.example`). */
export const apiHostsSchema = z
  .record(
    variableNameSchema,
    z
      .string()
      .max(2048)
      .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i, 'An API host is an http(s) URL'),
  )
  .refine(
    (hosts) => Object.keys(hosts).length <= MAX_API_HOSTS,
    `At most ${MAX_API_HOSTS} API hosts`,
  );
export type ApiHosts = z.infer<typeof apiHostsSchema>;

// ---------------------------------------------------------------------------------------
// Environments
// ---------------------------------------------------------------------------------------

export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,59}$/;

/**
 * A variable as save-environment takes it. A secret's `value` is write-only: omitted (or
 * null) keeps the value stored before; a string replaces it.
 */
export const environmentVariableInputSchema = z.strictObject({
  name: variableNameSchema,
  secret: z.boolean(),
  value: z.string().max(MAX_VALUE_LENGTH).nullish(),
});
export type EnvironmentVariableInput = z.infer<typeof environmentVariableInputSchema>;

/** A variable as `environments.variables` holds it and every API returns it. */
export type EnvironmentVariable = {
  name: string;
  secret: boolean;
  /** The value; always null for a secret (see has_value). */
  value: string | null;
  /** For a secret: whether a value is stored. For a plain variable: value !== null. */
  has_value: boolean;
};

export const saveEnvironmentBodySchema = z.strictObject({
  organisation_id: uuid,
  environment_id: uuid.nullish(),
  name: z
    .string()
    .regex(
      ENVIRONMENT_NAME_PATTERN,
      'An environment name is 1–60 lower-case letters, digits, _ or -, e.g. staging',
    ),
  description: z.string().max(2000).nullish(),
  api_hosts: apiHostsSchema.default({}),
  variables: z
    .array(environmentVariableInputSchema)
    .max(MAX_VARIABLES)
    .refine(uniqueNames, 'Variable names must be unique')
    .default([]),
});
export type SaveEnvironmentBody = z.infer<typeof saveEnvironmentBodySchema>;

// ---------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------

export const SCALAR_TYPES = ['string', 'number', 'boolean'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];
export const scalarValueSchema = z.union([
  z.string().max(MAX_VALUE_LENGTH),
  z.number().finite(),
  z.boolean(),
]);
export type ScalarValue = z.infer<typeof scalarValueSchema>;

export const PROJECT_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PROJECT_STATUSES = ['active', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * A project variable: its value is hardcoded here (null: no default) or read from the
 * linked environment's variable of that name.
 */
export const projectVariableSchema = z.discriminatedUnion('source', [
  z.strictObject({
    name: variableNameSchema,
    type: z.enum(SCALAR_TYPES),
    description: z.string().max(2000).nullish(),
    required: z.boolean(),
    source: z.literal('hardcoded'),
    value: scalarValueSchema.nullable(),
  }),
  z.strictObject({
    name: variableNameSchema,
    type: z.enum(SCALAR_TYPES),
    description: z.string().max(2000).nullish(),
    required: z.boolean(),
    source: z.literal('environment'),
    environment_variable: variableNameSchema,
  }),
]);
export type ProjectVariable = z.infer<typeof projectVariableSchema>;

export const saveProjectBodySchema = z.strictObject({
  organisation_id: uuid,
  project_id: uuid.nullish(),
  slug: z
    .string()
    .max(60)
    .regex(PROJECT_SLUG_PATTERN, 'A slug is lower-case letters and digits joined by single -'),
  name: z.string().trim().min(1, 'A name is required').max(200),
  description: z.string().max(2000).nullish(),
  status: z.enum(PROJECT_STATUSES).default('active'),
  environment_id: uuid.nullish(),
  api_hosts: apiHostsSchema.default({}),
  variables: z
    .array(projectVariableSchema)
    .max(MAX_VARIABLES)
    .refine(uniqueNames, 'Variable names must be unique')
    .default([]),
  /** The workflows the project uses (saving a sequence adds its flows' workflows). */
  workflow_ids: z.array(uuid).max(200).default([]),
});
export type SaveProjectBody = z.infer<typeof saveProjectBodySchema>;

// ---------------------------------------------------------------------------------------
// Flow sequences
// ---------------------------------------------------------------------------------------

export const sequenceParameterSchema = z.discriminatedUnion('source', [
  z.strictObject({
    name: variableNameSchema,
    type: z.enum(SCALAR_TYPES),
    description: z.string().max(2000).nullish(),
    required: z.boolean(),
    source: z.literal('project_variable'),
    project_variable: variableNameSchema,
  }),
  z.strictObject({
    name: variableNameSchema,
    type: z.enum(SCALAR_TYPES),
    description: z.string().max(2000).nullish(),
    required: z.boolean(),
    source: z.literal('hardcoded'),
    value: scalarValueSchema.nullable(),
  }),
]);
export type SequenceParameter = z.infer<typeof sequenceParameterSchema>;

/** `flow1`, `flow2`, `flow1_5`, `flow1_25` (flow-ids.ts makes them). */
export const FLOW_ID_PATTERN = /^flow(0|[1-9][0-9]*)(_[0-9]*[1-9])?$/;

/**
 * Where a flow parameter (a workflow input) takes its value: a sequence parameter, or a
 * field of an earlier flow's output (its job's final_result), picked by path segments
 * (`['user', 'id']` is final_result.user.id). No expressions.
 */
export const flowMappingSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('sequence_parameter'), parameter: variableNameSchema }),
  z.strictObject({
    source: z.literal('flow_output'),
    flow_id: z.string().regex(FLOW_ID_PATTERN, 'must be a flow id such as flow1'),
    path: z.array(z.string().min(1).max(200)).min(1).max(20),
  }),
]);
export type FlowMapping = z.infer<typeof flowMappingSchema>;

export const ASSERTION_OPERATORS = [
  'equals',
  'not_equals',
  'exists',
  'contains',
  'matches',
  'lt',
  'gt',
] as const;
export type AssertionOperator = (typeof ASSERTION_OPERATORS)[number];

/** A check on a flow's output: an RFC 9535 path over its final_result (`$.status`). */
export const flowAssertionSchema = z.strictObject({
  path: z.string().min(1).max(1000),
  operator: z.enum(ASSERTION_OPERATORS),
  /** Unused by `exists`; an I-Regexp string for `matches`; a number for `lt`/`gt`. */
  expected: z.unknown().optional(),
});
export type FlowAssertion = z.infer<typeof flowAssertionSchema>;

export const flowSchema = z.strictObject({
  id: z.string().regex(FLOW_ID_PATTERN, 'must be a flow id such as flow1'),
  workflow_id: uuid,
  /** Workflow input name → its source. */
  mappings: z.record(z.string(), flowMappingSchema).default({}),
  assertions: z.array(flowAssertionSchema).max(MAX_ASSERTIONS_PER_FLOW).default([]),
});
export type Flow = z.infer<typeof flowSchema>;

export const saveFlowSequenceBodySchema = z.strictObject({
  project_id: uuid,
  sequence_id: uuid.nullish(),
  name: z.string().trim().min(1, 'A name is required').max(200),
  description: z.string().max(2000).nullish(),
  parameters: z
    .array(sequenceParameterSchema)
    .max(MAX_SEQUENCE_PARAMETERS)
    .refine(uniqueNames, 'Parameter names must be unique')
    .default([]),
  flows: z
    .array(flowSchema)
    .max(MAX_FLOWS, `A sequence has at most ${MAX_FLOWS} flows`)
    .refine(
      (flows) => new Set(flows.map((f) => f.id)).size === flows.length,
      'Flow ids must be unique',
    )
    .default([]),
  /** Optimistic concurrency: the updated_at the editor loaded; 409 when it changed since. */
  expected_updated_at: z.string().nullish(),
});
export type SaveFlowSequenceBody = z.infer<typeof saveFlowSequenceBodySchema>;

// ---------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------

export const RUN_MODES = ['normal', 'debug'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/**
 * running: a flow's job is under way (or its result is being evaluated);
 * paused: debug mode, after a flow ended (passed or failed), waiting for the user;
 * completed: every flow passed; failed: a flow failed (normal mode); stopped: by a user.
 */
export const RUN_STATUSES = ['running', 'paused', 'completed', 'failed', 'stopped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ENDED_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped'];

/** One execution of one flow in a run (a re-run in debug mode is a new attempt). */
export const RUN_FLOW_STATUSES = ['running', 'evaluating', 'passed', 'failed', 'stopped'] as const;
export type RunFlowStatus = (typeof RUN_FLOW_STATUSES)[number];

/** Why a flow failed, as recorded on the run flow and the run. */
export const RUN_FLOW_ERROR_CODES = [
  'job_failed',
  'job_cancelled',
  'assertion_failed',
  'output_error',
  'missing_input',
  'type_mismatch',
] as const;
export type RunFlowErrorCode = (typeof RUN_FLOW_ERROR_CODES)[number];

/** Where a resolved value came from, for the debug view. */
export type ValueSource =
  | { kind: 'hardcoded' }
  | { kind: 'environment'; environment: string; variable: string }
  | { kind: 'project_variable'; variable: string }
  | { kind: 'sequence_parameter'; parameter: string }
  | { kind: 'flow_output'; flow_id: string; path: string[] }
  | { kind: 'default' }
  | { kind: 'edited' };

/** A resolved value as recorded (the value masked when secret). */
export type ResolvedValue = { value: unknown; source: ValueSource; secret: boolean };

export const runActionBodySchema = z.discriminatedUnion('action', [
  z.strictObject({ run_id: uuid, action: z.literal('continue'), flow_id: z.string() }),
  z.strictObject({
    run_id: uuid,
    action: z.literal('rerun'),
    flow_id: z.string(),
    /** Edited parameters (input name → value); absent: the same as last time. */
    inputs: z.record(z.string(), z.unknown()).optional(),
  }),
  z.strictObject({ run_id: uuid, action: z.literal('stop') }),
]);
export type RunActionBody = z.infer<typeof runActionBodySchema>;

export const runFlowSequenceBodySchema = z.strictObject({
  sequence_id: uuid,
  mode: z.enum(RUN_MODES).default('normal'),
});
export type RunFlowSequenceBody = z.infer<typeof runFlowSequenceBodySchema>;
