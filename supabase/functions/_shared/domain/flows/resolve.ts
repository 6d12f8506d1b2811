// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { jsonTypeOf, validateWorkflowInput, type WorkflowInput } from '../workflow-inputs.ts';
import {
  SECRET_MASK,
  type ApiHosts,
  type EnvironmentVariable,
  type Flow,
  type ProjectVariable,
  type ResolvedValue,
  type ScalarType,
  type SequenceParameter,
  type ValueSource,
} from './schemas.ts';

// How a run finds every value (issue 11; docs/projects-contract.md, "Resolution"), in the
// order run-flow-sequence and the orchestrator call it:
//
//   environment ──▶ resolveProjectVariables ──▶ resolveSequenceParameters ──▶ resolveFlowInputs
//   (variables, secrets, API hosts)   (+ API hosts: $.variables.<name>)          (per flow, with
//                                                                               earlier outputs)
//
// Each step returns REAL values (`Resolved`, secrets in clear: the job needs them) and every
// problem at once, so a run refuses to start naming all that is wrong. What is recorded or
// answered goes through maskResolved / maskedInput / redactSecrets first: a secret is shown
// as SECRET_MASK wherever it would appear. A value read from a secret stays secret through
// every step (a parameter reading a secret variable, an input mapped to that parameter). Pure.
//
// Paths name what failed: ['variables', name], ['parameters', name],
// ['flows', flow_id, 'inputs', name].

/** A value as resolved, real (a secret in clear): never record or answer it as is. */
export type Resolved = { value: unknown; source: ValueSource; secret: boolean };

export type ResolveProblemCode =
  'missing' | 'type_mismatch' | 'unknown_variable' | 'unknown_parameter' | 'unknown_flow_output';

export type ResolveProblem = {
  path: (string | number)[];
  code: ResolveProblemCode;
  /** Never holds a secret's value. */
  message: string;
};

/** The linked environment as the resolver reads it (the service role reads `secrets`). */
export type EnvironmentForResolve = {
  name: string;
  api_hosts: ApiHosts;
  variables: readonly EnvironmentVariable[];
  /** Secret name → its value, from private.environment_secrets. */
  secrets: Readonly<Record<string, string>>;
};

export type Resolution = { resolved: Record<string, Resolved>; problems: ResolveProblem[] };

/**
 * The project's variables and API hosts, as workflows read them at `$.variables.<name>`.
 * Every project variable has an entry (null when unresolved, with a `missing` problem if it
 * is required), so a sequence parameter can tell an unresolved variable from an unknown one.
 */
export function resolveProjectVariables(
  project: { variables: readonly ProjectVariable[]; api_hosts: ApiHosts },
  environment: EnvironmentForResolve | null,
): Resolution {
  const resolved: Record<string, Resolved> = {};
  const problems: ResolveProblem[] = [];

  for (const [name, url] of Object.entries(project.api_hosts)) {
    resolved[name] = { value: url, source: { kind: 'hardcoded' }, secret: false };
  }
  for (const [name, url] of Object.entries(environment?.api_hosts ?? {})) {
    resolved[name] = {
      value: url,
      source: { kind: 'environment', environment: environment!.name, variable: name },
      secret: false,
    };
  }

  // Variables after hosts: a variable wins over a host of the same name (save-project warns).
  for (const variable of project.variables) {
    const path = ['variables', variable.name];
    const unresolved = (why: string, source: ValueSource, secret = false) => {
      resolved[variable.name] = { value: null, source, secret };
      if (variable.required) {
        problems.push({ path, code: 'missing', message: `Variable ${variable.name} ${why}` });
      }
    };

    if (variable.source === 'hardcoded') {
      const source: ValueSource = { kind: 'hardcoded' };
      if (variable.value === null) {
        unresolved('is required but has no value', source);
      } else if (jsonTypeOf(variable.value) !== variable.type) {
        resolved[variable.name] = { value: null, source, secret: false };
        problems.push({
          path,
          code: 'type_mismatch',
          message: `Variable ${variable.name} is ${article(variable.type)} ${variable.type} but its value is ${article(jsonTypeOf(variable.value))} ${jsonTypeOf(variable.value)}`,
        });
      } else {
        resolved[variable.name] = { value: variable.value, source, secret: false };
      }
      continue;
    }

    const wanted = variable.environment_variable;
    if (environment === null) {
      unresolved(`reads ${wanted} from the environment, but the project has none linked`, {
        kind: 'environment',
        environment: '',
        variable: wanted,
      });
      continue;
    }
    const source: ValueSource = {
      kind: 'environment',
      environment: environment.name,
      variable: wanted,
    };
    const found = environment.variables.find((v) => v.name === wanted);
    if (!found) {
      unresolved(`reads ${wanted}, which environment ${environment.name} does not have`, source);
      continue;
    }
    const raw = found.secret
      ? Object.hasOwn(environment.secrets, wanted)
        ? environment.secrets[wanted]
        : undefined
      : found.value;
    if (raw === undefined || raw === null) {
      unresolved(
        `reads ${wanted}, which has no value in environment ${environment.name}`,
        source,
        found.secret,
      );
      continue;
    }
    const coerced = coerce(raw, variable.type);
    if (coerced === undefined) {
      resolved[variable.name] = { value: null, source, secret: found.secret };
      problems.push({
        path,
        code: 'type_mismatch',
        // A secret's value never goes into a message.
        message: `Variable ${variable.name} is ${article(variable.type)} ${variable.type} but ${wanted} in ${environment.name} is ${found.secret ? 'a secret that is not one' : `'${raw}'`}`,
      });
      continue;
    }
    resolved[variable.name] = { value: coerced, source, secret: found.secret };
  }
  return { resolved, problems };
}

const NUMBER_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * An environment's string value as the variable's type: `"42"` → 42, `"true"`/`"false"` →
 * boolean; undefined when it is not one. JSON number syntax only, so `""`, `"0x10"`, `"1e999"`
 * (Infinity) and `" 4"` are refused rather than read as something the user did not write.
 */
export function coerce(raw: string, type: ScalarType): string | number | boolean | undefined {
  switch (type) {
    case 'string':
      return raw;
    case 'number': {
      if (!NUMBER_TEXT.test(raw)) return undefined;
      const number = Number(raw);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
  }
}

/** A sequence's parameters from the resolved project variables (resolveProjectVariables). */
export function resolveSequenceParameters(
  parameters: readonly SequenceParameter[],
  variables: Readonly<Record<string, Resolved>>,
): Resolution {
  const resolved: Record<string, Resolved> = {};
  const problems: ResolveProblem[] = [];
  for (const parameter of parameters) {
    const path = ['parameters', parameter.name];
    let value: unknown;
    let source: ValueSource;
    let secret = false;
    if (parameter.source === 'hardcoded') {
      value = parameter.value;
      source = { kind: 'hardcoded' };
    } else {
      source = { kind: 'project_variable', variable: parameter.project_variable };
      const variable = Object.hasOwn(variables, parameter.project_variable)
        ? variables[parameter.project_variable]
        : undefined;
      if (!variable) {
        resolved[parameter.name] = { value: null, source, secret };
        problems.push({
          path,
          code: 'unknown_variable',
          message: `Parameter ${parameter.name} reads project variable ${parameter.project_variable}, which does not exist`,
        });
        continue;
      }
      value = variable.value;
      secret = variable.secret;
    }
    if (value === null || value === undefined) {
      resolved[parameter.name] = { value: null, source, secret };
      if (parameter.required) {
        problems.push({
          path,
          code: 'missing',
          message:
            parameter.source === 'hardcoded'
              ? `Parameter ${parameter.name} is required but has no value`
              : `Parameter ${parameter.name} is required but project variable ${parameter.project_variable} has no value`,
        });
      }
      continue;
    }
    const actual = jsonTypeOf(value);
    if (actual !== parameter.type) {
      resolved[parameter.name] = { value: null, source, secret };
      problems.push({
        path,
        code: 'type_mismatch',
        message: `Parameter ${parameter.name} is ${article(parameter.type)} ${parameter.type} but its value is ${article(actual)} ${actual}`,
      });
      continue;
    }
    resolved[parameter.name] = { value, source, secret };
  }
  return { resolved, problems };
}

export type FlowInputResolution = Resolution & {
  /** The job's input_data, REAL: mapped values with the workflow's defaults applied. */
  input: Record<string, unknown>;
};

/**
 * A flow's input from its mappings: sequence parameters and earlier flows' outputs (`outputs`:
 * flow id → that flow's output, its job's final_result). Unmapped inputs are left out, so the
 * workflow's default applies; then validateWorkflowInput checks types and required inputs.
 * An output field that is not there is a problem (`unknown_flow_output`), not a silent null:
 * the mapping asked for it explicitly.
 */
export function resolveFlowInputs(
  flow: Pick<Flow, 'id' | 'mappings'>,
  workflowInputs: readonly WorkflowInput[] | undefined,
  parameters: Readonly<Record<string, Resolved>>,
  outputs: Readonly<Record<string, unknown>>,
): FlowInputResolution {
  const resolved: Record<string, Resolved> = {};
  const problems: ResolveProblem[] = [];
  for (const [name, mapping] of Object.entries(flow.mappings)) {
    const path = ['flows', flow.id, 'inputs', name];
    if (mapping.source === 'sequence_parameter') {
      const parameter = Object.hasOwn(parameters, mapping.parameter)
        ? parameters[mapping.parameter]
        : undefined;
      if (!parameter) {
        problems.push({
          path,
          code: 'unknown_parameter',
          message: `${flow.id}: ${name} reads parameter ${mapping.parameter}, which does not exist`,
        });
        continue;
      }
      resolved[name] = {
        value: parameter.value,
        source: { kind: 'sequence_parameter', parameter: mapping.parameter },
        secret: parameter.secret,
      };
      continue;
    }
    const field = mapping.path.join('.');
    if (!Object.hasOwn(outputs, mapping.flow_id)) {
      problems.push({
        path,
        code: 'unknown_flow_output',
        message: `${flow.id}: ${name} reads ${field} from ${mapping.flow_id}, which has no output (it has not passed in this run)`,
      });
      continue;
    }
    const found = pick(outputs[mapping.flow_id], mapping.path);
    if (!found.found) {
      problems.push({
        path,
        code: 'unknown_flow_output',
        message: `${flow.id}: ${name} reads ${field} from ${mapping.flow_id}, whose output has no ${field}`,
      });
      continue;
    }
    resolved[name] = {
      value: found.value,
      source: { kind: 'flow_output', flow_id: mapping.flow_id, path: [...mapping.path] },
      secret: false,
    };
  }
  return finishInputs(flow.id, workflowInputs, resolved, problems);
}

/**
 * A re-run's input (debug mode): the flow's inputs resolved afresh, then the user's edits
 * (input name → value) on top, source `edited`. The page shows a secret as SECRET_MASK; an
 * edit that sends that mask back for a secret input means "unchanged", so the real value
 * stays (and stays secret).
 */
export function applyInputEdits(
  flowId: string,
  workflowInputs: readonly WorkflowInput[] | undefined,
  base: Readonly<Record<string, Resolved>>,
  edits: Readonly<Record<string, unknown>>,
): FlowInputResolution {
  const resolved: Record<string, Resolved> = {};
  // Defaults are applied again below, so only what was mapped or edited carries over.
  for (const [name, entry] of Object.entries(base)) {
    if (entry.source.kind !== 'default') resolved[name] = entry;
  }
  for (const [name, value] of Object.entries(edits)) {
    const previous = resolved[name];
    if (previous?.secret && value === SECRET_MASK) continue;
    if (value === undefined) continue;
    resolved[name] = { value, source: { kind: 'edited' }, secret: false };
  }
  return finishInputs(flowId, workflowInputs, resolved, []);
}

function finishInputs(
  flowId: string,
  workflowInputs: readonly WorkflowInput[] | undefined,
  resolved: Record<string, Resolved>,
  problems: ResolveProblem[],
): FlowInputResolution {
  const mapped: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(resolved)) mapped[name] = entry.value;
  const checked = validateWorkflowInput(workflowInputs, mapped);
  if (!checked.ok) {
    // An input whose mapping already failed is not reported twice.
    const failed = new Set(problems.map((p) => p.path[3]));
    for (const error of checked.errors) {
      const [name] = error.path;
      if (failed.has(name)) continue;
      // validateWorkflowInput names types, never values, so a secret stays out of the message.
      problems.push({
        path: ['flows', flowId, 'inputs', name],
        code: error.code === 'missing' ? 'missing' : 'type_mismatch',
        message: `${flowId}: ${error.message}`,
      });
    }
    return { input: mapped, resolved, problems };
  }
  for (const [name, value] of Object.entries(checked.input)) {
    const entry = resolved[name];
    if (entry === undefined || (entry.value === null && value !== null)) {
      resolved[name] = { value, source: { kind: 'default' }, secret: false };
    }
  }
  return { input: checked.input, resolved, problems };
}

/** The value at `path` (member names; array indexes as digits) inside an output. */
function pick(
  value: unknown,
  path: readonly string[],
): { found: true; value: unknown } | { found: false } {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && /^(0|[1-9][0-9]*)$/.test(segment)) {
      const index = Number(segment);
      if (index >= current.length) return { found: false };
      current = current[index];
    } else if (
      typeof current === 'object' &&
      current !== null &&
      !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

// ---------------------------------------------------------------------------------------
// Masking: what may be recorded and answered
// ---------------------------------------------------------------------------------------

const hidden = (entry: Resolved) =>
  entry.secret && entry.value !== null && entry.value !== undefined;

/** Resolved values as recorded (run.parameters, run.variables, run flow inputs): secrets masked. */
export function maskResolved(
  resolved: Readonly<Record<string, Resolved>>,
): Record<string, ResolvedValue> {
  const out: Record<string, ResolvedValue> = {};
  for (const [name, entry] of Object.entries(resolved)) {
    out[name] = hidden(entry) ? { ...entry, value: SECRET_MASK } : { ...entry };
  }
  return out;
}

/**
 * A job's input as recorded (jobs.input_data): each input resolved from a secret is
 * SECRET_MASK, and any other string holding one of those secrets has it masked too.
 */
export function maskedInput(
  input: Readonly<Record<string, unknown>>,
  resolved: Readonly<Record<string, Resolved>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const entry = Object.hasOwn(resolved, name) ? resolved[name] : undefined;
    out[name] = entry && hidden(entry) ? SECRET_MASK : value;
  }
  return redactSecrets(out, secretStrings(resolved));
}

/** Below this length a secret is not searched for in text: masking `42` would hit any 42. */
export const MIN_REDACTED_LENGTH = 3;

/**
 * The real secret values among resolved maps, as the strings to redact from what a run
 * records (the job's `redact`): longest first, so a secret containing another is replaced
 * whole. Booleans are left out (redacting every "true" would garble every output), as are
 * values shorter than MIN_REDACTED_LENGTH; they are still masked where they are recorded as
 * resolved values.
 */
export function secretStrings(...maps: readonly Readonly<Record<string, Resolved>>[]): string[] {
  const strings = new Set<string>();
  for (const map of maps) {
    for (const entry of Object.values(map)) {
      if (!entry.secret) continue;
      if (typeof entry.value !== 'string' && typeof entry.value !== 'number') continue;
      const text = String(entry.value);
      if (text.length >= MIN_REDACTED_LENGTH) strings.add(text);
    }
  }
  return [...strings].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `value` with every occurrence of each secret replaced by SECRET_MASK, in every string at any
 * depth, object keys included; numbers, booleans and null are left as they are. Longer
 * secrets are replaced first, so one containing another is masked whole. Returns `value`
 * itself when there is nothing to redact.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const usable = secrets.filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return value;
  const text = (s: string): string => {
    let out = s;
    for (const secret of usable)
      if (out.includes(secret)) out = out.split(secret).join(SECRET_MASK);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v)) out[text(key)] = walk(item);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a');
