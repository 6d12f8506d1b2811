import { describe, expect, it } from 'vitest';
import type { Flow, ProjectVariable, SequenceParameter } from './schemas.ts';
import {
  validateFlowSequence,
  workflowInputsOf,
  workflowOutputs,
  type SequenceProblemCode,
  type WorkflowForSequence,
} from './validate-sequence.ts';

const W1 = '00000000-0000-4000-8000-000000000001';
const W2 = '00000000-0000-4000-8000-000000000002';
const W3 = '00000000-0000-4000-8000-000000000003';
const ARCHIVED = '00000000-0000-4000-8000-000000000004';
const OPEN = '00000000-0000-4000-8000-000000000005';
const GONE = '00000000-0000-4000-8000-0000000000ff';

const workflows = new Map<string, WorkflowForSequence>(
  [
    {
      id: W1,
      name: 'Create user',
      status: 'active',
      inputs: [
        { name: 'email', type: 'string', required: true },
        { name: 'age', type: 'number' },
        { name: 'admin', type: 'boolean', required: true, default: false },
      ],
      outputs: ['user', 'status'],
    },
    {
      id: W2,
      name: 'Send welcome',
      status: 'active',
      inputs: [
        { name: 'user_id', type: 'string', required: true },
        { name: 'profile', type: 'object' },
      ],
      outputs: ['sent'],
    },
    { id: W3, name: 'Echo', status: 'active', outputs: ['echoed'] },
    { id: ARCHIVED, name: 'Old', status: 'archived', outputs: [] },
    { id: OPEN, name: 'No output map', status: 'active', outputs: null },
  ].map((w) => [w.id, w as WorkflowForSequence]),
);

const projectVariables: ProjectVariable[] = [
  {
    name: 'api_key',
    type: 'string',
    required: true,
    source: 'environment',
    environment_variable: 'API_KEY',
  },
  { name: 'limit', type: 'number', required: false, source: 'hardcoded', value: 10 },
];

const parameters: SequenceParameter[] = [
  { name: 'email', type: 'string', required: true, source: 'hardcoded', value: 'a@b.c' },
  {
    name: 'key',
    type: 'string',
    required: true,
    source: 'project_variable',
    project_variable: 'api_key',
  },
  {
    name: 'limit',
    type: 'number',
    required: false,
    source: 'project_variable',
    project_variable: 'limit',
  },
];

const flow = (
  id: string,
  workflow_id: string,
  mappings: Flow['mappings'] = {},
  assertions: Flow['assertions'] = [],
): Flow => ({
  id,
  workflow_id,
  mappings,
  assertions,
});

const good: Flow[] = [
  flow(
    'flow1',
    W1,
    {
      email: { source: 'sequence_parameter', parameter: 'email' },
      age: { source: 'sequence_parameter', parameter: 'limit' },
    },
    [{ path: '$.status', operator: 'equals', expected: 'ok' }],
  ),
  flow('flow1_5', W3, {
    anything: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'id'] },
  }),
  flow('flow2', W2, {
    user_id: { source: 'flow_output', flow_id: 'flow1', path: ['user', 'id'] },
    profile: { source: 'flow_output', flow_id: 'flow1_5', path: ['echoed'] },
  }),
];

const validate = (flows: Flow[], params: SequenceParameter[] = parameters) =>
  validateFlowSequence({ parameters: params, flows }, { workflows, projectVariables });

describe('validateFlowSequence', () => {
  it('accepts a sequence that can run', () => {
    expect(validate(good)).toEqual([]);
    expect(validate([])).toEqual([]);
  });

  it('accepts any field of a workflow without an output_map', () => {
    expect(
      validate([
        flow('flow1', OPEN),
        flow('flow2', W3, { x: { source: 'flow_output', flow_id: 'flow1', path: ['whatever'] } }),
      ]),
    ).toEqual([]);
  });

  const cases: [
    string,
    Flow[],
    SequenceParameter[],
    [SequenceProblemCode, (string | number)[]][],
  ][] = [
    [
      'a workflow that does not exist',
      [flow('flow1', GONE)],
      parameters,
      [['unknown_workflow', ['flows', 0, 'workflow_id']]],
    ],
    [
      'an archived workflow',
      [flow('flow1', ARCHIVED)],
      parameters,
      [['workflow_archived', ['flows', 0, 'workflow_id']]],
    ],
    [
      'a mapping to a parameter that does not exist',
      [flow('flow1', W1, { email: { source: 'sequence_parameter', parameter: 'nope' } })],
      parameters,
      [['unknown_parameter', ['flows', 0, 'mappings', 'email']]],
    ],
    [
      'a mapping to the same flow',
      [
        good[0]!,
        flow('flow2', W3, { x: { source: 'flow_output', flow_id: 'flow2', path: ['echoed'] } }),
      ],
      parameters,
      [['later_flow', ['flows', 1, 'mappings', 'x']]],
    ],
    [
      'a flow moved above its source',
      [good[2]!, good[0]!, good[1]!],
      parameters,
      [
        ['later_flow', ['flows', 0, 'mappings', 'user_id']],
        ['later_flow', ['flows', 0, 'mappings', 'profile']],
      ],
    ],
    [
      'a mapping to a removed flow',
      [good[0]!, good[2]!],
      parameters,
      [['unknown_flow', ['flows', 1, 'mappings', 'profile']]],
    ],
    [
      'a field the source workflow does not output',
      [
        good[0]!,
        flow('flow2', W2, { user_id: { source: 'flow_output', flow_id: 'flow1', path: ['nope'] } }),
      ],
      parameters,
      [['unknown_output', ['flows', 1, 'mappings', 'user_id']]],
    ],
    [
      'a flow output mapping without a field (a draft)',
      [
        good[0]!,
        flow('flow2', W2, {
          user_id: { source: 'flow_output', flow_id: 'flow1', path: [] },
        }),
      ],
      parameters,
      [['unknown_output', ['flows', 1, 'mappings', 'user_id']]],
    ],
    [
      'a required input left unmapped',
      [flow('flow1', W1)],
      parameters,
      [['missing_required_input', ['flows', 0, 'mappings', 'email']]],
    ],
    [
      'a parameter of the wrong type for the input',
      [flow('flow1', W1, { email: { source: 'sequence_parameter', parameter: 'limit' } })],
      parameters,
      [['type_mismatch', ['flows', 0, 'mappings', 'email']]],
    ],
    [
      'a scalar parameter for an object input',
      [
        flow('flow1', W2, {
          user_id: { source: 'sequence_parameter', parameter: 'email' },
          profile: { source: 'sequence_parameter', parameter: 'email' },
        }),
      ],
      parameters,
      [['type_mismatch', ['flows', 0, 'mappings', 'profile']]],
    ],
    [
      'an input the workflow does not declare',
      [
        flow('flow1', W1, {
          email: { source: 'sequence_parameter', parameter: 'email' },
          nope: { source: 'sequence_parameter', parameter: 'email' },
        }),
      ],
      parameters,
      [['unknown_input', ['flows', 0, 'mappings', 'nope']]],
    ],
    [
      'a parameter reading a project variable that no longer exists',
      [],
      [
        {
          name: 'p',
          type: 'string',
          required: true,
          source: 'project_variable',
          project_variable: 'gone',
        },
      ],
      [['unknown_project_variable', ['parameters', 0, 'project_variable']]],
    ],
    [
      'a parameter whose type differs from its project variable',
      [],
      [
        {
          name: 'p',
          type: 'string',
          required: true,
          source: 'project_variable',
          project_variable: 'limit',
        },
      ],
      [['type_mismatch', ['parameters', 0, 'type']]],
    ],
    [
      'a hardcoded value of the wrong type',
      [],
      [{ name: 'p', type: 'number', required: false, source: 'hardcoded', value: '3' }],
      [['type_mismatch', ['parameters', 0, 'value']]],
    ],
    [
      'a required hardcoded parameter without a value',
      [],
      [{ name: 'p', type: 'number', required: true, source: 'hardcoded', value: null }],
      [['missing_value', ['parameters', 0, 'value']]],
    ],
    [
      'assertions that cannot be evaluated',
      [
        flow('flow1', W3, {}, [
          { path: 'status', operator: 'exists' },
          { path: '$.id', operator: 'matches', expected: '[a-' },
          { path: '$.n', operator: 'lt', expected: '5' },
          { path: '$.n', operator: 'gt' },
          { path: '$.n', operator: 'equals' },
          { path: '$.ok', operator: 'exists' },
        ]),
      ],
      parameters,
      [0, 1, 2, 3, 4].map((i) => ['invalid_assertion', ['flows', 0, 'assertions', i]]),
    ],
  ];

  it.each(cases)('refuses %s', (_title, flows, params, expected) => {
    const problems = validate(flows, params);
    expect(problems.map((p) => [p.code, p.path])).toEqual(expected);
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(10);
  });

  it('reports every problem at once', () => {
    const problems = validate(
      [
        flow('flow1', GONE, { a: { source: 'sequence_parameter', parameter: 'nope' } }),
        flow('flow2', W1, { email: { source: 'flow_output', flow_id: 'flow9', path: ['x'] } }, [
          { path: '$[', operator: 'exists' },
        ]),
      ],
      [
        {
          name: 'p',
          type: 'string',
          required: true,
          source: 'project_variable',
          project_variable: 'gone',
        },
      ],
    );
    expect(problems.map((p) => p.code)).toEqual([
      'unknown_project_variable',
      'unknown_workflow',
      'unknown_parameter',
      'unknown_flow',
      'invalid_assertion',
    ]);
  });

  it('names the flow, the input and the fix in its messages', () => {
    const [problem] = validate([good[2]!, good[0]!, good[1]!]);
    expect(problem?.message).toBe(
      'Flow flow2: user_id reads the output of flow1, which runs later; move it above flow2 or pick another source',
    );
  });
});

describe('workflowOutputs', () => {
  it.each([
    [{ output_map: { a: '$.x', b: '$.y' } }, ['a', 'b']],
    [{ output_map: {} }, []],
    [{ steps: [] }, null],
    [{ output_map: null }, null],
    [null, null],
    ['x', null],
  ])('of %j is %j', (definition, outputs) => {
    expect(workflowOutputs(definition)).toEqual(outputs);
  });
});

describe('workflowInputsOf', () => {
  it.each([
    [{ inputs: [{ name: 'a', type: 'string' }] }, [{ name: 'a', type: 'string' }]],
    [
      {
        inputs: [
          { name: 'a', type: 'nope' },
          { name: 'b', type: 'number', required: true },
        ],
      },
      [{ name: 'b', type: 'number', required: true }],
    ],
    [
      {
        inputs: [
          { name: 'a', type: 'string' },
          { name: 'a', type: 'number' },
        ],
      },
      [{ name: 'a', type: 'string' }],
    ],
    [{ inputs: [] }, undefined],
    [{ inputs: 'x' }, undefined],
    [{}, undefined],
    [null, undefined],
  ])('of %j is %j', (definition, inputs) => {
    expect(workflowInputsOf(definition)).toEqual(inputs);
  });
});
