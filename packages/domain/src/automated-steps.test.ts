import { describe, expect, it } from 'vitest';
import {
  inputProblemsMessage,
  resolveAutomatedInputs,
  validateInputMap,
  type AutomatedResolveContext,
  type ProjectForResolve,
} from './automated-steps.ts';
import { SECRET_MASK } from './flows/schemas.ts';
import type { WorkflowInput } from './workflow-inputs.ts';

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER_ORG = '00000000-0000-4000-8000-000000000002';
const PROJECT = '10000000-0000-4000-8000-000000000001';
const FOREIGN_PROJECT = '10000000-0000-4000-8000-000000000002';

const inputs: WorkflowInput[] = [
  { name: 'restaurant_name', type: 'string', required: true },
  { name: 'greeting', type: 'string', default: 'Hello' },
  { name: 'limit', type: 'integer', minimum: 1 },
  { name: 'api_key', type: 'string' },
  { name: 'details', type: 'object' },
];

const projects = [
  {
    id: PROJECT,
    name: 'CRM',
    variables: [
      { name: 'API_KEY', type: 'string' as const },
      { name: 'LIMIT', type: 'number' as const },
      { name: 'DEBUG', type: 'boolean' as const },
    ],
    api_hosts: { crm_api: 'https://crm.example' },
  },
];

const validate = (map: unknown, stepOrder = 3, earlier: number[] = [1]) =>
  validateInputMap(map, {
    workflowInputs: inputs,
    earlierAutomatedSteps: earlier,
    stepOrder,
    projects,
  });

describe('validateInputMap', () => {
  it('a map of every source kind that fits has no problem', () => {
    expect(
      validate({
        restaurant_name: { source: 'restaurant', field: 'name' },
        greeting: { source: 'rep', field: 'first_name' },
        limit: { source: 'variable', project_id: PROJECT, name: 'LIMIT' },
        api_key: { source: 'variable', project_id: PROJECT, name: 'crm_api' },
        details: { source: 'step', step_order: 1, path: '$.result' },
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'an input the workflow does not declare',
      { restaurant_name: { source: 'value', value: 'x' }, colour: { source: 'value', value: 1 } },
      ['colour', 'unknown_input'],
    ],
    ['a required input left unmapped', {}, ['restaurant_name', 'required_input_unmapped']],
    [
      'an object field into a string input',
      { restaurant_name: { source: 'restaurant', field: 'metadata' } },
      ['restaurant_name', 'type_mismatch'],
    ],
    [
      'a boolean variable into an integer input',
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        limit: { source: 'variable', project_id: PROJECT, name: 'DEBUG' },
      },
      ['limit', 'type_mismatch'],
    ],
    [
      'a fixed value outside the input range',
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        limit: { source: 'value', value: 0 },
      },
      ['limit', 'type_mismatch'],
    ],
    [
      'a step that is this step or later',
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        details: { source: 'step', step_order: 3 },
      },
      ['details', 'step_not_earlier'],
    ],
    [
      'an earlier step that is not automated',
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        details: { source: 'step', step_order: 2 },
      },
      ['details', 'step_not_automated'],
    ],
    [
      'a path that is not JSONPath',
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        details: { source: 'step', step_order: 1, path: 'result[' },
      },
      ['details', 'invalid_path'],
    ],
    [
      'a project that does not exist',
      {
        restaurant_name: {
          source: 'variable',
          project_id: FOREIGN_PROJECT,
          name: 'API_KEY',
        },
      },
      ['restaurant_name', 'unknown_project'],
    ],
    [
      'a variable the project does not have',
      { restaurant_name: { source: 'variable', project_id: PROJECT, name: 'NOPE' } },
      ['restaurant_name', 'unknown_variable'],
    ],
    [
      'a source of no known kind',
      { restaurant_name: { source: 'weather', field: 'name' } },
      ['restaurant_name', 'invalid_source'],
    ],
    [
      'a restaurant field that does not exist',
      { restaurant_name: { source: 'restaurant', field: 'password' } },
      ['restaurant_name', 'invalid_source'],
    ],
    [
      'an empty fixed value for a required input',
      { restaurant_name: { source: 'value', value: null } },
      ['restaurant_name', 'missing_value'],
    ],
  ])('%s is a problem', (_label, map, [path, code]) => {
    const problems = validate(map);
    expect(problems.map((p) => [p.path[0], p.code])).toContainEqual([path, code]);
    for (const problem of problems) expect(problem.message).not.toBe('');
  });

  it('every problem is reported at once', () => {
    const problems = validate({
      colour: { source: 'value', value: 1 },
      details: { source: 'step', step_order: 9 },
    });
    expect(problems.map((p) => p.code).sort()).toEqual([
      'required_input_unmapped',
      'step_not_earlier',
      'unknown_input',
    ]);
  });

  it('a workflow that declares no inputs takes any names', () => {
    expect(
      validateInputMap(
        { anything: { source: 'value', value: 1 } },
        { workflowInputs: undefined, earlierAutomatedSteps: [], projects: [] },
      ),
    ).toEqual([]);
  });

  it('a map that is not an object is one problem', () => {
    expect(validate([])).toEqual([
      { path: [], code: 'invalid_source', message: 'The input map must be an object' },
    ]);
  });
});

const project: ProjectForResolve = {
  id: PROJECT,
  organisation_id: ORG,
  api_hosts: {},
  variables: [
    {
      name: 'API_KEY',
      type: 'string',
      required: true,
      source: 'environment',
      environment_variable: 'API_KEY',
    },
    {
      name: 'LIMIT',
      type: 'number',
      required: true,
      source: 'environment',
      environment_variable: 'LIMIT',
    },
    {
      name: 'EMPTY',
      type: 'string',
      required: false,
      source: 'hardcoded',
      value: null,
    },
  ],
  environment: {
    name: 'production',
    api_hosts: {},
    variables: [
      { name: 'API_KEY', secret: true, value: null, has_value: true },
      { name: 'LIMIT', secret: false, value: '5', has_value: true },
    ],
    secrets: { API_KEY: 'sk_live_secret' },
  },
};

const context = (over: Partial<AutomatedResolveContext> = {}): AutomatedResolveContext => ({
  organisationId: ORG,
  restaurant: { id: 'r1', name: 'Pizza Roma', city: null, metadata: { tables: 12 } },
  rep: { id: 'u1', name: 'Rita Rep', first_name: 'Rita', email: 'rita@example.com' },
  stepOutputs: { '1': { result: { score: 7 }, items: [1, 2] } },
  projects: { [PROJECT]: project },
  workflowInputs: inputs,
  ...over,
});

describe('resolveAutomatedInputs', () => {
  it('resolves every kind of source and applies defaults', () => {
    const resolution = resolveAutomatedInputs(
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        limit: { source: 'variable', project_id: PROJECT, name: 'LIMIT' },
        details: { source: 'step', step_order: 1, path: '$.result' },
        extra: { source: 'rep', field: 'email' },
        fixed: { source: 'value', value: { a: [1] } },
      },
      context(),
    );
    expect(resolution.errors).toEqual([]);
    expect(resolution.input).toEqual({
      restaurant_name: 'Pizza Roma',
      greeting: 'Hello',
      limit: 5,
      details: { score: 7 },
      extra: 'rita@example.com',
      fixed: { a: [1] },
    });
    expect(resolution.masked).toEqual(resolution.input);
    expect(resolution.redact).toEqual([]);
  });

  it('a secret variable is real in the input, masked in the record and redacted', () => {
    const resolution = resolveAutomatedInputs(
      {
        restaurant_name: { source: 'restaurant', field: 'name' },
        api_key: { source: 'variable', project_id: PROJECT, name: 'API_KEY' },
        // The secret's text inside another value is masked too.
        details: { source: 'value', value: { note: 'key sk_live_secret here' } },
      },
      context(),
    );
    expect(resolution.errors).toEqual([]);
    expect(resolution.input.api_key).toBe('sk_live_secret');
    expect(resolution.masked.api_key).toBe(SECRET_MASK);
    expect(resolution.masked.details).toEqual({ note: `key ${SECRET_MASK} here` });
    expect(resolution.redact).toEqual(['sk_live_secret']);
    expect(JSON.stringify(resolution.errors)).not.toContain('sk_live_secret');
  });

  it('a whole output without a path, and a path selecting several nodes gives the list', () => {
    const resolution = resolveAutomatedInputs(
      {
        restaurant_name: { source: 'value', value: 'x' },
        details: { source: 'step', step_order: 1 },
        many: { source: 'step', step_order: 1, path: '$.items[*]' },
      },
      context(),
    );
    expect(resolution.errors).toEqual([]);
    expect(resolution.input.details).toEqual({ result: { score: 7 }, items: [1, 2] });
    expect(resolution.input.many).toEqual([1, 2]);
  });

  it.each([
    [
      'a required input whose restaurant field is empty',
      { restaurant_name: { source: 'restaurant', field: 'city' } },
      ['restaurant_name', 'missing_value'],
    ],
    [
      'a step that left no output',
      {
        restaurant_name: { source: 'value', value: 'x' },
        details: { source: 'step', step_order: 2 },
      },
      ['details', 'missing_value'],
    ],
    [
      'a path that finds nothing in the output',
      {
        restaurant_name: { source: 'value', value: 'x' },
        details: { source: 'step', step_order: 1, path: '$.nothing' },
      },
      ['details', 'missing_value'],
    ],
    [
      'a value of the wrong type at run time',
      {
        restaurant_name: { source: 'value', value: 'x' },
        details: { source: 'step', step_order: 1, path: '$.result.score' },
      },
      ['details', 'type_mismatch'],
    ],
    [
      'a variable the project does not have',
      { restaurant_name: { source: 'variable', project_id: PROJECT, name: 'NOPE' } },
      ['restaurant_name', 'unknown_variable'],
    ],
    [
      'a required input whose variable has no value',
      { restaurant_name: { source: 'variable', project_id: PROJECT, name: 'EMPTY' } },
      ['restaurant_name', 'missing_value'],
    ],
    [
      'a source that is not one',
      { restaurant_name: { source: 'restaurant' } },
      ['restaurant_name', 'invalid_source'],
    ],
  ])('%s is an error', (_label, map, [path, code]) => {
    const { errors } = resolveAutomatedInputs(map, context());
    expect(errors.map((e) => [e.path[0], e.code])).toContainEqual([path, code]);
  });

  it("another organisation's project is never read", () => {
    const foreign: ProjectForResolve = {
      ...project,
      id: FOREIGN_PROJECT,
      organisation_id: OTHER_ORG,
    };
    const resolution = resolveAutomatedInputs(
      {
        restaurant_name: { source: 'value', value: 'x' },
        api_key: { source: 'variable', project_id: FOREIGN_PROJECT, name: 'API_KEY' },
      },
      context({ projects: { [PROJECT]: project, [FOREIGN_PROJECT]: foreign } }),
    );
    expect(resolution.errors.map((e) => e.code)).toEqual(['unknown_project']);
    expect(JSON.stringify(resolution)).not.toContain('sk_live_secret');
  });

  it('a task without a rep leaves rep fields absent', () => {
    const { errors, input } = resolveAutomatedInputs(
      { restaurant_name: { source: 'rep', field: 'name' } },
      context({ rep: null }),
    );
    expect(input.restaurant_name).toBeNull();
    expect(errors.map((e) => e.code)).toEqual(['missing_value']);
  });

  it('the error message names the first problem and counts the rest', () => {
    const { errors } = resolveAutomatedInputs(
      {
        restaurant_name: { source: 'restaurant', field: 'city' },
        limit: { source: 'value', value: 'many' },
      },
      context(),
    );
    expect(inputProblemsMessage(errors)).toBe(
      'restaurant_name is required (string) (and 1 more problem)',
    );
  });
});
