import { z } from 'zod';
import { fieldValueProblem, type FieldSchema } from './field-schema.ts';
import {
  maskedInput,
  redactSecrets,
  resolveProjectVariables,
  secretStrings,
  type EnvironmentForResolve,
  type Resolved,
} from './flows/resolve.ts';
import { variableNameSchema, type ApiHosts, type ProjectVariable } from './flows/schemas.ts';
import { UUID_PATTERN } from './ids.ts';
import { JsonPathError, parseJsonPath, queryJsonPath } from './json-path.ts';
import { validateWorkflowInput, type WorkflowInput } from './workflow-inputs.ts';

// Automated sequence steps (issue 14; docs/automation-contract.md, "Automated steps"): where
// each input of the step's workflow comes from. The one home of the input map's shape:
//
//   builder (web) ── validateInputMap ──▶ save_sequence_template (SQL checks the shape only)
//   orchestrator ── due_automated_tasks ──▶ resolveAutomatedInputs ──▶ start_automated_task_jobs
//                                            (project variables through the flows resolver;
//                                             secrets real for the job, masked in the record)
//
// Messages name inputs, fields and types, never a value: an input may come from a secret.

export const RESTAURANT_INPUT_FIELDS = [
  'id',
  'name',
  'city',
  'cuisine',
  'contact_name',
  'contact_email',
  'contact_phone',
  'lead_stage',
  'lead_warmth',
  'lead_status',
  'notes',
  'metadata',
] as const;
export type RestaurantInputField = (typeof RESTAURANT_INPUT_FIELDS)[number];

/** The task's assignee (its rep). */
export const REP_INPUT_FIELDS = ['id', 'name', 'first_name', 'email'] as const;
export type RepInputField = (typeof REP_INPUT_FIELDS)[number];

/** What each field holds when it holds something (restaurants' columns; null is absent). */
export const RESTAURANT_FIELD_TYPES: Readonly<Record<RestaurantInputField, 'string' | 'object'>> = {
  id: 'string',
  name: 'string',
  city: 'string',
  cuisine: 'string',
  contact_name: 'string',
  contact_email: 'string',
  contact_phone: 'string',
  lead_stage: 'string',
  lead_warmth: 'string',
  lead_status: 'string',
  notes: 'string',
  metadata: 'object',
};

export const AUTOMATED_SOURCES = ['restaurant', 'rep', 'variable', 'step', 'value'] as const;
export type AutomatedSourceKind = (typeof AUTOMATED_SOURCES)[number];

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

export const automatedInputSourceSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('restaurant'), field: z.enum(RESTAURANT_INPUT_FIELDS) }),
  z.strictObject({ source: z.literal('rep'), field: z.enum(REP_INPUT_FIELDS) }),
  z.strictObject({ source: z.literal('variable'), project_id: uuid, name: variableNameSchema }),
  z.strictObject({
    source: z.literal('step'),
    step_order: z.int().min(1),
    /** A JSONPath into that step's output; absent: the whole output. */
    path: z.string().min(1).max(1000).optional(),
  }),
  z.strictObject({ source: z.literal('value'), value: z.unknown() }),
]);
export type AutomatedInputSource = z.infer<typeof automatedInputSourceSchema>;

/** `{ [workflow input name]: AutomatedInputSource }`, as sequence_steps.input_map holds it. */
export type AutomatedInputMap = Record<string, AutomatedInputSource>;

export type InputMapProblemCode =
  | 'invalid_source'
  | 'unknown_input'
  | 'required_input_unmapped'
  | 'type_mismatch'
  | 'step_not_earlier'
  | 'step_not_automated'
  | 'unknown_project'
  | 'unknown_variable'
  | 'invalid_path'
  | 'missing_value';

export type InputMapProblem = {
  /** The input the problem is about (`[]`: the map itself). */
  path: string[];
  code: InputMapProblemCode;
  message: string;
};

/** A project as the builder knows it: its variables' names and types (no values needed). */
export type ProjectForInputMap = {
  id: string;
  name?: string;
  variables: readonly Pick<ProjectVariable, 'name' | 'type'>[];
  /** API hosts are variables too (`$.variables.<name>`): strings. */
  api_hosts?: Readonly<Record<string, string>>;
};

export type ValidateInputMapContext = {
  /** The workflow's declared inputs (its current version's definition.inputs). */
  workflowInputs: readonly WorkflowInput[] | undefined;
  /** step_order of every automated step before this one. */
  earlierAutomatedSteps: readonly number[];
  /** This step's step_order: a source at or after it is `step_not_earlier`. */
  stepOrder?: number;
  /** The organisation's projects (for variable sources). */
  projects: readonly ProjectForInputMap[];
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON type a source yields when it is known before the run (null: known only then). */
function sourceType(
  source: AutomatedInputSource,
  projects: readonly ProjectForInputMap[],
): 'string' | 'number' | 'boolean' | 'object' | null {
  switch (source.source) {
    case 'restaurant':
      return RESTAURANT_FIELD_TYPES[source.field];
    case 'rep':
      return 'string';
    case 'variable': {
      const project = projects.find((p) => p.id === source.project_id);
      const variable = project?.variables.find((v) => v.name === source.name);
      if (variable) return variable.type;
      return project?.api_hosts && Object.hasOwn(project.api_hosts, source.name) ? 'string' : null;
    }
    default:
      return null;
  }
}

/** Whether a value of JSON type `actual` can fill `input` (an integer's wholeness is the run's). */
function typeFits(actual: string, input: FieldSchema['type']): boolean {
  if (input === 'integer') return actual === 'number';
  // A file reference is an object; only a fixed value or a step's output can carry one.
  if (input === 'file') return false;
  return actual === input;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a');

/** Words for a source, for messages ("restaurant name", "step 2's output"). */
export function describeSource(source: AutomatedInputSource): string {
  switch (source.source) {
    case 'restaurant':
      return `restaurant ${source.field}`;
    case 'rep':
      return `rep ${source.field}`;
    case 'variable':
      return `project variable ${source.name}`;
    case 'step':
      return `step ${source.step_order}'s output${source.path ? ` at ${source.path}` : ''}`;
    case 'value':
      return 'a fixed value';
  }
}

/**
 * Every problem with an input map, for the builder (inline, per input) and anyone saving one:
 * the shape of each source, inputs the workflow does not declare, required inputs (without a
 * default) left unmapped, types known before the run that do not fit, step sources that are
 * not an earlier automated step, and project variables that do not exist. A workflow that
 * declares no inputs accepts any names (as start-workflow does).
 */
export function validateInputMap(
  map: unknown,
  context: ValidateInputMapContext,
): InputMapProblem[] {
  const problems: InputMapProblem[] = [];
  if (!isRecord(map)) {
    return [{ path: [], code: 'invalid_source', message: 'The input map must be an object' }];
  }
  const declared = context.workflowInputs ?? [];
  const byName = new Map(declared.map((input) => [input.name, input]));
  for (const [name, raw] of Object.entries(map)) {
    const path = [name];
    const parsed = automatedInputSourceSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      problems.push({
        path,
        code: 'invalid_source',
        message: `${name}: not a source${where}: ${issue?.message ?? 'invalid'}`,
      });
      continue;
    }
    const source = parsed.data;
    const input = byName.get(name);
    if (declared.length > 0 && !input) {
      problems.push({
        path,
        code: 'unknown_input',
        message: `${name} is not an input of the workflow`,
      });
      continue;
    }
    if (source.source === 'step') {
      if (context.stepOrder !== undefined && source.step_order >= context.stepOrder) {
        problems.push({
          path,
          code: 'step_not_earlier',
          message: `${name} reads step ${source.step_order}, which is not before this step`,
        });
        continue;
      }
      if (!context.earlierAutomatedSteps.includes(source.step_order)) {
        problems.push({
          path,
          code: 'step_not_automated',
          message: `${name} reads step ${source.step_order}, which is not an earlier automated step`,
        });
        continue;
      }
      if (source.path !== undefined) {
        try {
          parseJsonPath(source.path);
        } catch (error) {
          problems.push({
            path,
            code: 'invalid_path',
            message: `${name}: ${(error as Error).message}`,
          });
          continue;
        }
      }
    }
    if (source.source === 'variable') {
      const project = context.projects.find((p) => p.id === source.project_id);
      if (!project) {
        problems.push({
          path,
          code: 'unknown_project',
          message: `${name} reads a variable of a project that does not exist`,
        });
        continue;
      }
      const exists =
        project.variables.some((v) => v.name === source.name) ||
        (project.api_hosts !== undefined && Object.hasOwn(project.api_hosts, source.name));
      if (!exists) {
        problems.push({
          path,
          code: 'unknown_variable',
          message: `${name} reads variable ${source.name}, which project ${project.name ?? project.id} does not have`,
        });
        continue;
      }
    }
    if (!input) continue;
    if (source.source === 'value') {
      if (source.value === null || source.value === undefined) {
        if (input.required && input.default === undefined)
          problems.push({
            path,
            code: 'missing_value',
            message: `${name} is required but its fixed value is empty`,
          });
        continue;
      }
      // A fixed value is known now: every rule of the input applies (format, range, choices).
      const problem = fieldValueProblem(input, source.value);
      if (problem)
        problems.push({
          path,
          code: 'type_mismatch',
          message: problem.message,
        });
      continue;
    }
    const actual = sourceType(source, context.projects);
    if (actual !== null && !typeFits(actual, input.type)) {
      problems.push({
        path,
        code: 'type_mismatch',
        message: `${name} is ${article(input.type)} ${input.type} but ${describeSource(source)} is ${article(actual)} ${actual}`,
      });
    }
  }
  for (const input of declared) {
    if (input.required && input.default === undefined && !Object.hasOwn(map, input.name)) {
      problems.push({
        path: [input.name],
        code: 'required_input_unmapped',
        message: `${input.name} is required: choose where it comes from`,
      });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// Resolution, when the task comes due (the orchestrator)
// ---------------------------------------------------------------------------------------

/** A project with what resolving its variables needs (the environment's secrets included). */
export type ProjectForResolve = {
  id: string;
  organisation_id: string;
  variables: readonly ProjectVariable[];
  api_hosts: ApiHosts;
  environment: EnvironmentForResolve | null;
};

export type AutomatedResolveContext = {
  /** The task's organisation: a project of another one is never read. */
  organisationId: string;
  restaurant: Readonly<Record<string, unknown>> | null;
  rep: Readonly<Record<string, unknown>> | null;
  /** "<step_order>" → that automated step's output (its task's automation_output). */
  stepOutputs: Readonly<Record<string, unknown>>;
  /** Project id → the project, for variable sources. */
  projects: Readonly<Record<string, ProjectForResolve>>;
  workflowInputs: readonly WorkflowInput[] | undefined;
};

export type AutomatedResolution = {
  /** The job's input, REAL (secrets in clear), defaults applied. */
  input: Record<string, unknown>;
  /** What jobs.input_data records: secrets masked. */
  masked: Record<string, unknown>;
  /** Secret strings the job redacts from everything it records (longest first). */
  redact: string[];
  /** Empty when the job may start. Messages never hold a value. */
  errors: InputMapProblem[];
};

/**
 * The job's input from the map and the task's context: restaurant and rep fields, project
 * variables (resolved as flow runs resolve them: environment, secrets, coercion), earlier
 * steps' outputs (a JSONPath into them) and fixed values; then the workflow's declared inputs
 * checked and defaulted by validateWorkflowInput. A field that is null counts as absent, so a
 * required input without a default says so. A secret stays secret: its input is masked in
 * `masked`, and its text is in `redact` for whatever the job records.
 */
export function resolveAutomatedInputs(
  map: unknown,
  context: AutomatedResolveContext,
): AutomatedResolution {
  const errors: InputMapProblem[] = [];
  const resolved: Record<string, Resolved> = {};
  const fromSecret: Resolved[] = [];
  const variablesOf = new Map<string, Record<string, Resolved>>();
  const plain = (value: unknown): Resolved => ({
    value,
    source: { kind: 'hardcoded' },
    secret: false,
  });

  if (!isRecord(map)) {
    errors.push({ path: [], code: 'invalid_source', message: 'The input map must be an object' });
    return { input: {}, masked: {}, redact: [], errors };
  }
  for (const [name, raw] of Object.entries(map)) {
    const path = [name];
    const parsed = automatedInputSourceSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push({ path, code: 'invalid_source', message: `${name}: not a source` });
      continue;
    }
    const source = parsed.data;
    switch (source.source) {
      case 'restaurant':
        resolved[name] = plain(context.restaurant?.[source.field] ?? null);
        break;
      case 'rep':
        resolved[name] = plain(context.rep?.[source.field] ?? null);
        break;
      case 'value':
        resolved[name] = plain(structuredClone(source.value ?? null));
        break;
      case 'step': {
        const key = String(source.step_order);
        if (!Object.hasOwn(context.stepOutputs, key) || context.stepOutputs[key] == null) {
          errors.push({
            path,
            code: 'missing_value',
            message: `${name} reads step ${source.step_order}'s output, but that step has none (it did not run, or was done by hand)`,
          });
          break;
        }
        const output = context.stepOutputs[key];
        if (source.path === undefined) {
          resolved[name] = plain(output);
          break;
        }
        let found: unknown[];
        try {
          found = queryJsonPath(source.path, output);
        } catch (error) {
          const message = error instanceof JsonPathError ? error.message : String(error);
          errors.push({ path, code: 'invalid_path', message: `${name}: ${message}` });
          break;
        }
        if (found.length === 0) {
          errors.push({
            path,
            code: 'missing_value',
            message: `${name} reads ${source.path} from step ${source.step_order}'s output, which has nothing there`,
          });
          break;
        }
        // A path that selects one node gives its value; several give the list.
        resolved[name] = plain(found.length === 1 ? found[0] : found);
        break;
      }
      case 'variable': {
        const project = Object.hasOwn(context.projects, source.project_id)
          ? context.projects[source.project_id]
          : undefined;
        // Another organisation's project is as unknown as a missing one: its values never
        // reach this organisation's job.
        if (!project || project.organisation_id !== context.organisationId) {
          errors.push({
            path,
            code: 'unknown_project',
            message: `${name} reads a variable of a project that does not exist`,
          });
          break;
        }
        let variables = variablesOf.get(project.id);
        if (!variables) {
          variables = resolveProjectVariables(project, project.environment).resolved;
          variablesOf.set(project.id, variables);
        }
        const variable = Object.hasOwn(variables, source.name) ? variables[source.name] : undefined;
        if (!variable) {
          errors.push({
            path,
            code: 'unknown_variable',
            message: `${name} reads variable ${source.name}, which the project does not have`,
          });
          break;
        }
        // Unresolved (no value, wrong type): null, so a required input says it is missing.
        resolved[name] = variable;
        if (variable.secret) fromSecret.push(variable);
        break;
      }
    }
  }

  const mapped: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(resolved)) mapped[name] = entry.value;
  const redact = secretStrings(Object.fromEntries(fromSecret.map((v, i) => [String(i), v])));
  const checked = validateWorkflowInput(context.workflowInputs, mapped, {
    organisationId: context.organisationId,
  });
  const failed = new Set(errors.map((error) => error.path[0]));
  let input = mapped;
  if (checked.ok) input = checked.input;
  else {
    for (const error of checked.errors) {
      const [name] = error.path;
      if (failed.has(name)) continue;
      errors.push({
        path: [name],
        code: error.code === 'missing' ? 'missing_value' : 'type_mismatch',
        message: error.message,
      });
    }
  }
  const masked = redactSecrets(maskedInput(input, resolved), redact);
  return { input, masked, redact, errors };
}

/** One line for automation_error.message: the first problem, and how many more. */
export function inputProblemsMessage(problems: readonly InputMapProblem[]): string {
  const first = problems[0];
  if (!first) return '';
  const more = problems.length - 1;
  return more > 0
    ? `${first.message} (and ${more} more problem${more === 1 ? '' : 's'})`
    : first.message;
}
