import { describe, expect, it } from 'vitest';
import type { WorkflowInput } from '../workflow-inputs.ts';
import {
  applyInputEdits,
  coerce,
  maskedInput,
  maskResolved,
  redactSecrets,
  resolveFlowInputs,
  resolveProjectVariables,
  resolveSequenceParameters,
  secretStrings,
  type EnvironmentForResolve,
  type Resolved,
} from './resolve.ts';
import { SECRET_MASK, type Flow, type ProjectVariable, type SequenceParameter } from './schemas.ts';

const staging: EnvironmentForResolve = {
  name: 'staging',
  api_hosts: { crm_api: 'https://crm.staging.example', extra_api: 'https://extra.example' },
  variables: [
    { name: 'BASE', secret: false, value: 'https://staging.example', has_value: true },
    { name: 'LIMIT', secret: false, value: '42', has_value: true },
    { name: 'DEBUG', secret: false, value: 'true', has_value: true },
    { name: 'API_KEY', secret: true, value: null, has_value: true },
    { name: 'EMPTY', secret: false, value: null, has_value: false },
    { name: 'NO_SECRET', secret: true, value: null, has_value: false },
  ],
  secrets: { API_KEY: 'sk_staging_123' },
};
const production: EnvironmentForResolve = {
  name: 'production',
  api_hosts: {},
  variables: [
    { name: 'BASE', secret: false, value: 'https://example.com', has_value: true },
    { name: 'LIMIT', secret: false, value: '1000', has_value: true },
    { name: 'DEBUG', secret: false, value: 'false', has_value: true },
    { name: 'API_KEY', secret: true, value: null, has_value: true },
  ],
  secrets: { API_KEY: 'sk_prod_456' },
};

const env = (
  name: string,
  environment_variable: string,
  type: ProjectVariable['type'] = 'string',
  required = true,
): ProjectVariable => ({
  name,
  type,
  required,
  source: 'environment',
  environment_variable,
});
const hard = (
  name: string,
  value: string | number | boolean | null,
  type: ProjectVariable['type'] = 'string',
  required = true,
): ProjectVariable => ({
  name,
  type,
  required,
  source: 'hardcoded',
  value,
});

const project = {
  api_hosts: { crm_api: 'https://crm.default.example', mail_api: 'https://mail.example' },
  variables: [
    env('base', 'BASE'),
    env('limit', 'LIMIT', 'number'),
    env('debug', 'DEBUG', 'boolean'),
    env('api_key', 'API_KEY'),
    hard('team', 'growth'),
    hard('retries', 3, 'number'),
  ],
};

const values = (resolved: Record<string, Resolved>) =>
  Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, v.value]));

describe('resolveProjectVariables', () => {
  it('reads each source from the linked environment, coerced to the variable type', () => {
    const { resolved, problems } = resolveProjectVariables(project, staging);
    expect(problems).toEqual([]);
    expect(values(resolved)).toEqual({
      crm_api: 'https://crm.staging.example',
      mail_api: 'https://mail.example',
      extra_api: 'https://extra.example',
      base: 'https://staging.example',
      limit: 42,
      debug: true,
      api_key: 'sk_staging_123',
      team: 'growth',
      retries: 3,
    });
    expect(resolved.api_key).toEqual({
      value: 'sk_staging_123',
      source: { kind: 'environment', environment: 'staging', variable: 'API_KEY' },
      secret: true,
    });
    expect(resolved.team).toEqual({
      value: 'growth',
      source: { kind: 'hardcoded' },
      secret: false,
    });
    expect(resolved.crm_api?.source).toEqual({
      kind: 'environment',
      environment: 'staging',
      variable: 'crm_api',
    });
    expect(resolved.mail_api?.source).toEqual({ kind: 'hardcoded' });
  });

  it('changes with the environment switch', () => {
    const { resolved, problems } = resolveProjectVariables(project, production);
    expect(problems).toEqual([]);
    expect(values(resolved)).toMatchObject({
      crm_api: 'https://crm.default.example',
      base: 'https://example.com',
      limit: 1000,
      debug: false,
      api_key: 'sk_prod_456',
    });
    expect(resolved.extra_api).toBeUndefined();
  });

  it('lets a variable win over an API host of the same name', () => {
    const { resolved } = resolveProjectVariables(
      { api_hosts: { crm_api: 'https://h.example' }, variables: [hard('crm_api', 'mine')] },
      staging,
    );
    expect(resolved.crm_api).toEqual({
      value: 'mine',
      source: { kind: 'hardcoded' },
      secret: false,
    });
  });

  it.each<[string, ProjectVariable, EnvironmentForResolve | null, string | null]>([
    ['no environment linked', env('v', 'BASE'), null, 'missing'],
    ['an unknown environment variable', env('v', 'NOPE'), staging, 'missing'],
    ['an environment variable without a value', env('v', 'EMPTY'), staging, 'missing'],
    ['a secret without a value', env('v', 'NO_SECRET'), staging, 'missing'],
    ['a hardcoded null', hard('v', null), staging, 'missing'],
    ['a number that is not one', env('v', 'BASE', 'number'), staging, 'type_mismatch'],
    ['a boolean that is not one', env('v', 'LIMIT', 'boolean'), staging, 'type_mismatch'],
    ['a hardcoded value of another type', hard('v', 'x', 'number'), staging, 'type_mismatch'],
    ['an optional variable with no environment', env('v', 'BASE', 'string', false), null, null],
    ['an optional unknown environment variable', env('v', 'NOPE', 'string', false), staging, null],
    ['an optional hardcoded null', hard('v', null, 'string', false), staging, null],
  ])('%s → %s', (_title, variable, environment, code) => {
    const { resolved, problems } = resolveProjectVariables(
      { api_hosts: {}, variables: [variable] },
      environment,
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual(
      code === null ? [] : [[code, ['variables', 'v']]],
    );
    // Every variable has an entry, null when unresolved.
    expect(resolved.v?.value).toBeNull();
  });

  it('never puts a secret in a message', () => {
    const { problems, resolved } = resolveProjectVariables(
      { api_hosts: {}, variables: [env('v', 'API_KEY', 'number')] },
      staging,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).not.toContain('sk_staging_123');
    expect(resolved.v?.secret).toBe(true);
    const plain = resolveProjectVariables(
      { api_hosts: {}, variables: [env('v', 'BASE', 'number')] },
      staging,
    );
    expect(plain.problems[0]?.message).toContain("'https://staging.example'");
  });
});

describe('coerce', () => {
  it.each<[string, 'string' | 'number' | 'boolean', unknown]>([
    ['42', 'number', 42],
    ['-3.5', 'number', -3.5],
    ['1e3', 'number', 1000],
    ['0', 'number', 0],
    ['', 'number', undefined],
    [' 4', 'number', undefined],
    ['0x10', 'number', undefined],
    ['1e999', 'number', undefined],
    ['NaN', 'number', undefined],
    ['007', 'number', undefined],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['TRUE', 'boolean', undefined],
    ['1', 'boolean', undefined],
    ['', 'string', ''],
    ['42', 'string', '42'],
  ])('%j as %s is %j', (raw, type, value) => {
    expect(coerce(raw, type)).toBe(value);
  });
});

describe('resolveSequenceParameters', () => {
  const { resolved: variables } = resolveProjectVariables(
    { ...project, variables: [...project.variables, env('maybe', 'NOPE', 'string', false)] },
    staging,
  );
  const param = (
    p: Partial<SequenceParameter> & Pick<SequenceParameter, 'name'>,
  ): SequenceParameter =>
    ({
      type: 'string',
      required: true,
      source: 'hardcoded',
      value: 'x',
      ...p,
    }) as SequenceParameter;

  it('reads project variables and hardcoded values, keeping secrets secret', () => {
    const { resolved, problems } = resolveSequenceParameters(
      [
        param({
          name: 'key',
          source: 'project_variable',
          project_variable: 'api_key',
        } as SequenceParameter),
        param({
          name: 'n',
          type: 'number',
          source: 'project_variable',
          project_variable: 'limit',
        } as SequenceParameter),
        param({
          name: 'host',
          source: 'project_variable',
          project_variable: 'crm_api',
        } as SequenceParameter),
        param({ name: 'email', value: 'a@b.c' }),
      ],
      variables,
    );
    expect(problems).toEqual([]);
    expect(resolved).toEqual({
      key: {
        value: 'sk_staging_123',
        source: { kind: 'project_variable', variable: 'api_key' },
        secret: true,
      },
      n: { value: 42, source: { kind: 'project_variable', variable: 'limit' }, secret: false },
      host: {
        value: 'https://crm.staging.example',
        source: { kind: 'project_variable', variable: 'crm_api' },
        secret: false,
      },
      email: { value: 'a@b.c', source: { kind: 'hardcoded' }, secret: false },
    });
  });

  it.each<[string, SequenceParameter, string | null]>([
    [
      'an unknown project variable',
      param({
        name: 'p',
        source: 'project_variable',
        project_variable: 'gone',
      } as SequenceParameter),
      'unknown_variable',
    ],
    [
      'a required parameter whose variable is unresolved',
      param({
        name: 'p',
        source: 'project_variable',
        project_variable: 'maybe',
      } as SequenceParameter),
      'missing',
    ],
    [
      'an optional parameter whose variable is unresolved',
      param({
        name: 'p',
        required: false,
        source: 'project_variable',
        project_variable: 'maybe',
      } as SequenceParameter),
      null,
    ],
    ['a required hardcoded null', param({ name: 'p', value: null }), 'missing'],
    ['an optional hardcoded null', param({ name: 'p', required: false, value: null }), null],
    [
      'a variable of another type',
      param({
        name: 'p',
        type: 'boolean',
        source: 'project_variable',
        project_variable: 'limit',
      } as SequenceParameter),
      'type_mismatch',
    ],
    [
      'a hardcoded value of another type',
      param({ name: 'p', type: 'number', value: 'x' }),
      'type_mismatch',
    ],
  ])('%s → %s', (_title, parameter, code) => {
    const { resolved, problems } = resolveSequenceParameters([parameter], variables);
    expect(problems.map((p) => [p.code, p.path])).toEqual(
      code === null ? [] : [[code, ['parameters', 'p']]],
    );
    expect(resolved.p?.value).toBeNull();
  });
});

describe('resolveFlowInputs', () => {
  const inputs: WorkflowInput[] = [
    { name: 'user_id', type: 'string', required: true },
    { name: 'token', type: 'string' },
    { name: 'count', type: 'number', default: 5 },
    { name: 'profile', type: 'object' },
    { name: 'first_tag', type: 'string' },
  ];
  const parameters: Record<string, Resolved> = {
    key: {
      value: 'sk_staging_123',
      source: { kind: 'project_variable', variable: 'api_key' },
      secret: true,
    },
    n: { value: 7, source: { kind: 'hardcoded' }, secret: false },
    empty: { value: null, source: { kind: 'hardcoded' }, secret: false },
  };
  const outputs = { flow1: { user: { id: 'u1', profile: { a: 1 }, tags: ['t0', 't1'] } } };
  const flow = (mappings: Flow['mappings']) => ({ id: 'flow2', mappings });

  it('maps parameters and earlier outputs, applies defaults, keeps secrets secret', () => {
    const result = resolveFlowInputs(
      flow({
        user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'id'] },
        token: { source: 'sequence_parameter', parameter: 'key' },
        profile: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'profile'] },
        first_tag: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'tags', '1'] },
      }),
      inputs,
      parameters,
      outputs,
    );
    expect(result.problems).toEqual([]);
    expect(result.input).toEqual({
      user_id: 'u1',
      token: 'sk_staging_123',
      profile: { a: 1 },
      first_tag: 't1',
      count: 5,
    });
    expect(result.resolved).toEqual({
      user_id: {
        value: 'u1',
        source: { kind: 'flow_output', flow_id: 'flow1', path: ['user', 'id'] },
        secret: false,
      },
      token: {
        value: 'sk_staging_123',
        source: { kind: 'sequence_parameter', parameter: 'key' },
        secret: true,
      },
      profile: {
        value: { a: 1 },
        source: { kind: 'flow_output', flow_id: 'flow1', path: ['user', 'profile'] },
        secret: false,
      },
      first_tag: {
        value: 't1',
        source: { kind: 'flow_output', flow_id: 'flow1', path: ['user', 'tags', '1'] },
        secret: false,
      },
      count: { value: 5, source: { kind: 'default' }, secret: false },
    });
  });

  it('lets a null parameter fall back to the default', () => {
    const result = resolveFlowInputs(
      flow({
        user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'id'] },
        count: { source: 'sequence_parameter', parameter: 'empty' },
      }),
      inputs,
      parameters,
      outputs,
    );
    expect(result.problems).toEqual([]);
    expect(result.input.count).toBe(5);
    expect(result.resolved.count?.source).toEqual({ kind: 'default' });
  });

  it('passes any mapping through when the workflow declares no inputs', () => {
    const result = resolveFlowInputs(
      flow({ anything: { source: 'sequence_parameter', parameter: 'n' } }),
      undefined,
      parameters,
      outputs,
    );
    expect(result).toMatchObject({ input: { anything: 7 }, problems: [] });
  });

  it.each<[string, Flow['mappings'], [string, string][]]>([
    ['a required input unmapped', {}, [['missing', 'user_id']]],
    [
      'an unknown parameter',
      { user_id: { source: 'sequence_parameter', parameter: 'nope' } },
      [['unknown_parameter', 'user_id']],
    ],
    [
      'a flow with no output yet',
      { user_id: { source: 'flow_output', flow_id: 'flow1_5', path: ['id'] } },
      [['unknown_flow_output', 'user_id']],
    ],
    [
      'an output field that is not there',
      { user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'email'] } },
      [['unknown_flow_output', 'user_id']],
    ],
    [
      'an index past the end',
      { user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'tags', '2'] } },
      [['unknown_flow_output', 'user_id']],
    ],
    [
      'a path through a string',
      { user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'id', 'x'] } },
      [['unknown_flow_output', 'user_id']],
    ],
    [
      'an output of the wrong type',
      { user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'profile'] } },
      [['type_mismatch', 'user_id']],
    ],
    [
      'a parameter of the wrong type, and a missing input',
      { count: { source: 'sequence_parameter', parameter: 'key' } },
      [
        ['missing', 'user_id'],
        ['type_mismatch', 'count'],
      ],
    ],
  ])('%s', (_title, mappings, expected) => {
    const { problems } = resolveFlowInputs(flow(mappings), inputs, parameters, outputs);
    expect(problems.map((p) => [p.code, p.path[3]])).toEqual(expected);
    for (const problem of problems) {
      expect(problem.path.slice(0, 3)).toEqual(['flows', 'flow2', 'inputs']);
      expect(problem.message).not.toContain('sk_staging_123');
    }
  });
});

describe('applyInputEdits', () => {
  const inputs: WorkflowInput[] = [
    { name: 'user_id', type: 'string', required: true },
    { name: 'token', type: 'string' },
    { name: 'count', type: 'number', default: 5 },
  ];
  const base = resolveFlowInputs(
    {
      id: 'flow1',
      mappings: {
        user_id: { source: 'sequence_parameter', parameter: 'u' },
        token: { source: 'sequence_parameter', parameter: 'key' },
      },
    },
    inputs,
    {
      u: { value: 'u1', source: { kind: 'hardcoded' }, secret: false },
      key: { value: 'sk_1234', source: { kind: 'hardcoded' }, secret: true },
    },
    {},
  ).resolved;

  it('keeps a secret the user sent back masked, and marks edits', () => {
    const result = applyInputEdits('flow1', inputs, base, {
      token: SECRET_MASK,
      user_id: 'u2',
      count: 9,
    });
    expect(result.problems).toEqual([]);
    expect(result.input).toEqual({ user_id: 'u2', token: 'sk_1234', count: 9 });
    expect(result.resolved.token?.secret).toBe(true);
    expect(result.resolved.user_id).toEqual({
      value: 'u2',
      source: { kind: 'edited' },
      secret: false,
    });
    expect(result.resolved.count?.source).toEqual({ kind: 'edited' });
  });

  it('replaces a secret the user changed, no longer secret', () => {
    const result = applyInputEdits('flow1', inputs, base, { token: 'typed' });
    expect(result.resolved.token).toEqual({
      value: 'typed',
      source: { kind: 'edited' },
      secret: false,
    });
    expect(result.input.count).toBe(5);
  });

  it('checks edits against the declared inputs', () => {
    const result = applyInputEdits('flow1', inputs, base, { count: 'nine', user_id: null });
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([
      ['missing', ['flows', 'flow1', 'inputs', 'user_id']],
      ['type_mismatch', ['flows', 'flow1', 'inputs', 'count']],
    ]);
  });
});

describe('masking', () => {
  const resolved: Record<string, Resolved> = {
    token: { value: 'sk_live_abcdef', source: { kind: 'hardcoded' }, secret: true },
    pin: { value: 4242, source: { kind: 'hardcoded' }, secret: true },
    short: { value: 'ab', source: { kind: 'hardcoded' }, secret: true },
    flag: { value: true, source: { kind: 'hardcoded' }, secret: true },
    unset: { value: null, source: { kind: 'hardcoded' }, secret: true },
    user: { value: 'u1', source: { kind: 'hardcoded' }, secret: false },
    note: { value: 'uses sk_live_abcdef here', source: { kind: 'edited' }, secret: false },
  };

  it('maskResolved masks every secret with a value', () => {
    expect(values(maskResolved(resolved) as Record<string, Resolved>)).toEqual({
      token: SECRET_MASK,
      pin: SECRET_MASK,
      short: SECRET_MASK,
      flag: SECRET_MASK,
      unset: null,
      user: 'u1',
      note: 'uses sk_live_abcdef here',
    });
    expect(resolved.token?.value).toBe('sk_live_abcdef'); // the input is not changed
  });

  it('maskedInput masks secret inputs and secrets inside other strings', () => {
    expect(
      maskedInput(
        { token: 'sk_live_abcdef', user: 'u1', note: 'uses sk_live_abcdef here', extra: 1 },
        resolved,
      ),
    ).toEqual({
      token: SECRET_MASK,
      user: 'u1',
      note: `uses ${SECRET_MASK} here`,
      extra: 1,
    });
  });

  it('secretStrings lists real secret strings, longest first, without short ones or booleans', () => {
    expect(
      secretStrings(resolved, {
        other: { value: 'sk_live', source: { kind: 'hardcoded' }, secret: true },
      }),
    ).toEqual(['sk_live_abcdef', 'sk_live', '4242']);
    expect(secretStrings({})).toEqual([]);
  });

  it.each<[unknown, string[], unknown]>([
    ['a sk_1 b sk_1', ['sk_1'], `a ${SECRET_MASK} b ${SECRET_MASK}`],
    [
      { sk_1: ['x sk_1', { deep: 'sk_12' }] },
      ['sk_12', 'sk_1'],
      { [SECRET_MASK]: [`x ${SECRET_MASK}`, { deep: SECRET_MASK }] },
    ],
    [{ n: 4242, b: true, z: null }, ['4242'], { n: 4242, b: true, z: null }],
    ['nothing here', ['sk_1'], 'nothing here'],
    ['sk_1', [], 'sk_1'],
    ['sk_1', [''], 'sk_1'],
  ])('redactSecrets(%j, %j)', (value, secrets, expected) => {
    expect(redactSecrets(value, secrets)).toEqual(expected);
  });

  it('redactSecrets replaces a longer secret whole whatever the order it is given in', () => {
    expect(redactSecrets('key=sk_live_abcdef', ['sk_live', 'sk_live_abcdef'])).toBe(
      `key=${SECRET_MASK}`,
    );
  });

  it('redactSecrets replaces a longer secret whole before a shorter one inside it', () => {
    expect(
      redactSecrets(
        'key=sk_live_abcdef',
        secretStrings(resolved, {
          p: { value: 'sk_live', source: { kind: 'hardcoded' }, secret: true },
        }),
      ),
    ).toBe(`key=${SECRET_MASK}`);
  });
});
