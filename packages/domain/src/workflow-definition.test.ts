import { describe, expect, it } from 'vitest';
import { buildWorkflowContext, mapInputs } from './json-path.ts';
import {
  validateWorkflowDefinition,
  workflowDefinitionWarnings,
  type WorkflowDefinition,
  type WorkflowDefinitionError,
} from './workflow-definition.ts';

// Seed 003, iteration 4, copied verbatim (comments included: the seed writes it as JSON
// with comments). The comments are stripped the way an editor would before JSON.parse;
// none of its strings contains "//".
const SEED_EXAMPLE = String.raw`
       {
         "start_step": "step1",
         "steps": {
           "step1": {
             "transformer_id": "echo-transformer",
             "input_map": { "data": "$.job_input.payload" }, // Using JSONPath notation
             "next_step": null // Indicates completion
           }
         },
         "output_map": { // Map final step output to job.final_result
             "result": "$.step1.output.echoed_data"
         }
       }
`;
const seedExample = JSON.parse(SEED_EXAMPLE.replace(/\/\/[^\n]*/g, '')) as unknown;

const knownTransformerIds = ['echo-transformer', 'gemini-transcriber', 'http-request'];
const validate = (definition: unknown) =>
  validateWorkflowDefinition(definition, { knownTransformerIds });

const errorsOf = (definition: unknown): WorkflowDefinitionError[] => {
  const result = validate(definition);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return result.errors;
};

const echo = (next_step: string | null, input_map: Record<string, string> = {}) => ({
  transformer_id: 'echo-transformer',
  input_map,
  next_step,
});

describe("seed 003's example definition", () => {
  it('validates as written', () => {
    const result = validate(seedExample);
    expect(result).toEqual({ ok: true, definition: seedExample });
  });

  it('turns { "payload": X } into the echo input and X into final_result', () => {
    const result = validate(seedExample);
    if (!result.ok) throw new Error('seed example rejected');
    const definition: WorkflowDefinition = result.definition;
    const step = definition.steps[definition.start_step];
    const payload = { any: ['json', 1, null] };

    const input = mapInputs(step?.input_map ?? {}, buildWorkflowContext({ jobInput: { payload } }));
    expect(input).toEqual({ value: { data: payload }, missing: [] });

    // execute-echo returns { echoed_data: input.data } (issue 4, item 8).
    const context = buildWorkflowContext({
      jobInput: { payload },
      stepOutputs: { step1: { echoed_data: input.value.data } },
    });
    expect(mapInputs(definition.output_map ?? {}, context).value).toEqual({ result: payload });
  });
});

describe('validateWorkflowDefinition accepts', () => {
  it.each([
    [
      'a step without input_map or next_step',
      { start_step: 'a', steps: { a: { transformer_id: 'echo-transformer' } } },
    ],
    [
      'a chain reading earlier steps, config and variables',
      {
        start_step: 'transcribe',
        steps: {
          transcribe: {
            transformer_id: 'gemini-transcriber',
            input_map: { audio_url: '$.job_input.audio_url', model: '$.config.model' },
            config: { model: 'gemini-2.5-flash' },
            next_step: 'notify',
          },
          notify: {
            transformer_id: 'http-request',
            input_map: {
              body: '$.transcribe.output.text',
              segments: '$.transcribe.output.segments[*]',
              to: "$['variables']['webhook_url']",
            },
            output_map: { status: '$.notify.output.status' },
          },
        },
        output_map: { text: '$.transcribe.output.text', status: '$.notify.output.status' },
        description: 'Transcribe then post',
      },
    ],
  ])('%s', (_name, definition) => {
    expect(validate(definition)).toEqual({ ok: true, definition });
  });
});

describe('validateWorkflowDefinition rejects', () => {
  it.each<[string, unknown, Pick<WorkflowDefinitionError, 'path' | 'code'>[]]>([
    ['a definition that is not an object', 'step1', [{ path: [], code: 'schema' }]],
    [
      'a missing start_step',
      { steps: { a: echo(null) } },
      [{ path: ['start_step'], code: 'schema' }],
    ],
    ['no steps', { start_step: 'a', steps: {} }, [{ path: ['steps'], code: 'schema' }]],
    [
      'steps as an array (the seed keys them by id)',
      { start_step: 'a', steps: [{ id: 'a', ...echo(null) }] },
      [{ path: ['steps'], code: 'schema' }],
    ],
    [
      'a misspelt key',
      { start_step: 'a', steps: { a: { transformer_id: 'echo-transformer', nextStep: null } } },
      [{ path: ['steps', 'a'], code: 'schema' }],
    ],
    [
      'a step id that shadows a context root',
      { start_step: 'job_input', steps: { job_input: echo(null) } },
      [
        { path: ['start_step'], code: 'schema' },
        { path: ['steps', 'job_input'], code: 'schema' },
      ],
    ],
    [
      'an input_map value that is not a string',
      {
        start_step: 'a',
        steps: { a: { transformer_id: 'echo-transformer', input_map: { d: 1 } } },
      },
      [{ path: ['steps', 'a', 'input_map', 'd'], code: 'schema' }],
    ],
    [
      'an unknown start_step',
      { start_step: 'nope', steps: { a: echo(null) } },
      [{ path: ['start_step'], code: 'unknown_start_step' }],
    ],
    [
      'an unknown next_step',
      { start_step: 'a', steps: { a: echo('b') } },
      [{ path: ['steps', 'a', 'next_step'], code: 'unknown_next_step' }],
    ],
    [
      'a self-loop',
      { start_step: 'a', steps: { a: echo('a') } },
      [{ path: ['steps', 'a', 'next_step'], code: 'cycle' }],
    ],
    [
      'a cycle through several steps',
      { start_step: 'a', steps: { a: echo('b'), b: echo('c'), c: echo('a') } },
      [{ path: ['steps', 'c', 'next_step'], code: 'cycle' }],
    ],
    [
      'a cycle not reached from start_step',
      { start_step: 'a', steps: { a: echo(null), x: echo('y'), y: echo('x') } },
      [
        { path: ['steps', 'y', 'next_step'], code: 'cycle' },
        { path: ['steps', 'x'], code: 'unreachable_step' },
        { path: ['steps', 'y'], code: 'unreachable_step' },
      ],
    ],
    [
      'an unreachable step',
      { start_step: 'a', steps: { a: echo(null), orphan: echo(null) } },
      [{ path: ['steps', 'orphan'], code: 'unreachable_step' }],
    ],
    [
      'an unknown transformer',
      { start_step: 'a', steps: { a: { transformer_id: 'nope' } } },
      [{ path: ['steps', 'a', 'transformer_id'], code: 'unknown_transformer' }],
    ],
    [
      'a JSONPath that does not parse',
      { start_step: 'a', steps: { a: echo(null, { data: '$.job_input[' }) } },
      [{ path: ['steps', 'a', 'input_map', 'data'], code: 'invalid_json_path' }],
    ],
    [
      'a JSONPath without the leading $',
      { start_step: 'a', steps: { a: echo(null, { data: 'job_input.payload' }) } },
      [{ path: ['steps', 'a', 'input_map', 'data'], code: 'invalid_json_path' }],
    ],
    [
      'a bad JSONPath in the final output_map',
      { start_step: 'a', steps: { a: echo(null) }, output_map: { r: '$.a.output[?' } },
      [{ path: ['output_map', 'r'], code: 'invalid_json_path' }],
    ],
    [
      'a JSONPath that does not start with a name',
      { start_step: 'a', steps: { a: echo(null, { all: '$..payload', doc: '$' }) } },
      [
        { path: ['steps', 'a', 'input_map', 'all'], code: 'json_path_root' },
        { path: ['steps', 'a', 'input_map', 'doc'], code: 'json_path_root' },
      ],
    ],
    [
      'a JSONPath reading an unknown step',
      { start_step: 'a', steps: { a: echo(null) }, output_map: { r: '$.step9.output' } },
      [{ path: ['output_map', 'r'], code: 'unknown_step_reference' }],
    ],
    [
      'an input reading its own step or a later one',
      {
        start_step: 'a',
        steps: { a: echo('b', { self: '$.a.output', later: '$.b.output' }), b: echo(null) },
      },
      [
        { path: ['steps', 'a', 'input_map', 'self'], code: 'step_not_yet_run' },
        { path: ['steps', 'a', 'input_map', 'later'], code: 'step_not_yet_run' },
      ],
    ],
    [
      'a step output_map reading a later step',
      {
        start_step: 'a',
        steps: {
          a: { ...echo('b'), output_map: { mine: '$.a.output.x', theirs: '$.b.output.y' } },
          b: echo(null),
        },
      },
      [{ path: ['steps', 'a', 'output_map', 'theirs'], code: 'step_not_yet_run' }],
    ],
    [
      'several problems at once, each at its own path',
      {
        start_step: 'a',
        steps: {
          a: { transformer_id: 'ghost', input_map: { x: '$.nowhere.y' }, next_step: 'missing' },
          b: echo(null),
        },
      },
      [
        { path: ['steps', 'a', 'next_step'], code: 'unknown_next_step' },
        { path: ['steps', 'a', 'transformer_id'], code: 'unknown_transformer' },
        { path: ['steps', 'b'], code: 'unreachable_step' },
        { path: ['steps', 'a', 'input_map', 'x'], code: 'unknown_step_reference' },
      ],
    ],
  ])('%s', (_name, definition, expected) => {
    const errors = errorsOf(definition);
    expect(errors.map(({ path, code }) => ({ path, code }))).toEqual(expected);
    for (const error of errors) expect(error.message).not.toBe('');
  });

  it('says where a cycle goes in its message', () => {
    const [error] = errorsOf({ start_step: 'a', steps: { a: echo('b'), b: echo('a') } });
    expect(error?.message).toContain('a → b → a');
  });

  it('treats transformers the organisation cannot see as unknown', () => {
    const result = validateWorkflowDefinition(seedExample, { knownTransformerIds: new Set() });
    expect(result.ok).toBe(false);
  });
});

// Issue 12 §5: a step may choose its successor from its output (workflow-branches.ts).
const scoring = (next: unknown[], extra: Record<string, unknown> = {}) => ({
  transformer_id: 'echo-transformer',
  next,
  ...extra,
});

describe('branches', () => {
  const diamond = {
    start_step: 'score',
    steps: {
      score: scoring(
        [
          { when: '@.score > 50', step: 'call', label: 'high score' },
          { when: '@.spam == true', step: null },
        ],
        { default: 'nurture' },
      ),
      call: echo('summarise', { lead: '$.score.output' }),
      nurture: echo('summarise', { lead: '$.score.output' }),
      summarise: echo(null, { score: '$.score.output.score' }),
    },
    output_map: { called: '$.call.output', nurtured: '$.nurture.output' },
  };

  it('accepts a diamond whose join reads the step before the fork', () => {
    expect(validate(diamond)).toEqual({ ok: true, definition: diamond });
  });

  it.each<[string, unknown, Pick<WorkflowDefinitionError, 'path' | 'code'>[]]>([
    [
      'next_step beside branches',
      {
        start_step: 'a',
        steps: { a: scoring([{ when: '@.x', step: 'b' }], { next_step: 'b' }), b: echo(null) },
      },
      [{ path: ['steps', 'a', 'next_step'], code: 'branch_and_next_step' }],
    ],
    [
      'next_step: null beside a default',
      { start_step: 'a', steps: { a: { ...echo(null), default: null } } },
      [{ path: ['steps', 'a', 'next_step'], code: 'branch_and_next_step' }],
    ],
    [
      'a branch or default to a step that does not exist',
      {
        start_step: 'a',
        steps: {
          a: scoring(
            [
              { when: '@.x', step: 'b' },
              { when: '@.y', step: 'ghost' },
            ],
            { default: 'gone' },
          ),
          b: echo(null),
        },
      },
      [
        { path: ['steps', 'a', 'next', 1, 'step'], code: 'unknown_next_step' },
        { path: ['steps', 'a', 'default'], code: 'unknown_next_step' },
      ],
    ],
    [
      'a when that does not parse, or is more than one filter',
      {
        start_step: 'a',
        steps: {
          a: scoring([
            { when: '@.score >', step: null },
            { when: '@.a][0', step: null },
            { when: "match(@.name, '(a')", step: null },
          ]),
        },
      },
      [
        { path: ['steps', 'a', 'next', 0, 'when'], code: 'invalid_json_path' },
        { path: ['steps', 'a', 'next', 1, 'when'], code: 'invalid_json_path' },
        { path: ['steps', 'a', 'next', 2, 'when'], code: 'invalid_json_path' },
      ],
    ],
    [
      'a branch back to an earlier step',
      {
        start_step: 'a',
        steps: { a: echo('b'), b: scoring([{ when: '@.again', step: 'a' }]) },
      },
      [{ path: ['steps', 'b', 'next', 0, 'step'], code: 'cycle' }],
    ],
    [
      'a default back to itself',
      { start_step: 'a', steps: { a: scoring([{ when: '@.x', step: null }], { default: 'a' }) } },
      [{ path: ['steps', 'a', 'default'], code: 'cycle' }],
    ],
    [
      'a step no edge reaches',
      {
        start_step: 'a',
        steps: { a: scoring([{ when: '@.x', step: 'b' }]), b: echo(null), c: echo(null) },
      },
      [{ path: ['steps', 'c'], code: 'unreachable_step' }],
    ],
    [
      'a join reading a step on only one of its paths',
      {
        ...diamond,
        steps: { ...diamond.steps, summarise: echo(null, { called: '$.call.output' }) },
      },
      [{ path: ['steps', 'summarise', 'input_map', 'called'], code: 'step_not_yet_run' }],
    ],
    [
      'a shape error in a branch',
      { start_step: 'a', steps: { a: scoring([{ when: '@.x', step: null, then: 'b' }]) } },
      [{ path: ['steps', 'a', 'next', 0], code: 'schema' }],
    ],
  ])('rejects %s', (_name, definition, expected) => {
    const errors = errorsOf(definition);
    expect(errors.map(({ path, code }) => ({ path, code }))).toEqual(expected);
    for (const error of errors) expect(error.message).not.toBe('');
  });

  it('reaches steps along every branch and the default', () => {
    const result = validate({
      start_step: 'a',
      steps: {
        a: scoring([{ when: '@.x', step: 'b' }], { default: 'c' }),
        b: echo('d'),
        c: echo(null),
        d: echo(null, { fromA: '$.a.output', fromB: '$.b.output' }),
      },
    });
    expect(result.ok).toBe(true);
  });

  it('names the loop a branch closes', () => {
    const [error] = errorsOf({
      start_step: 'a',
      steps: { a: echo('b'), b: scoring([{ when: '@.x', step: null }], { default: 'a' }) },
    });
    expect(error?.message).toContain('a → b → a');
  });
});

describe('declared inputs', () => {
  const withInputs = (inputs: unknown) => ({
    start_step: 'a',
    steps: { a: echo(null, { data: '$.job_input.payload' }) },
    inputs,
  });

  it('accepts inputs of every type, with defaults of their type', () => {
    const definition = withInputs([
      { name: 'payload', type: 'string', required: true, description: 'What to echo' },
      { name: 'count', type: 'number', default: 3 },
      { name: 'loud', type: 'boolean', default: false },
      { name: 'options', type: 'object', default: { a: 1 } },
      { name: 'tags', type: 'array', default: [] },
    ]);
    expect(validate(definition)).toEqual({ ok: true, definition });
  });

  it.each<[string, unknown, Pick<WorkflowDefinitionError, 'path' | 'code'>[]]>([
    ['inputs that are not an array', { payload: 'string' }, [{ path: ['inputs'], code: 'schema' }]],
    [
      'an unknown type',
      [{ name: 'when', type: 'date' }],
      [{ path: ['inputs', 0, 'type'], code: 'schema' }],
    ],
    [
      'a name that is not a plain member name',
      [{ name: 'two words', type: 'string' }],
      [{ path: ['inputs', 0, 'name'], code: 'schema' }],
    ],
    [
      'a misspelt key',
      [{ name: 'payload', type: 'string', defualt: 'x' }],
      [{ path: ['inputs', 0], code: 'schema' }],
    ],
    [
      'two inputs of one name',
      [
        { name: 'payload', type: 'string' },
        { name: 'payload', type: 'number' },
      ],
      [{ path: ['inputs'], code: 'schema' }],
    ],
  ])('refuses %s', (_name, inputs, expected) => {
    const errors = errorsOf(withInputs(inputs));
    expect(errors.map(({ path, code }) => ({ path, code }))).toEqual(expected);
  });

  it("refuses every default whose type is not its input's, at the default", () => {
    const errors = errorsOf(
      withInputs([
        { name: 'payload', type: 'string', default: 'ok' },
        { name: 'count', type: 'number', default: '3' },
        { name: 'loud', type: 'boolean', default: null },
        { name: 'options', type: 'object', default: [] },
      ]),
    );
    expect(errors).toEqual([
      {
        path: ['inputs', 1, 'default'],
        code: 'invalid_input_default',
        message: 'The default of count must be a number, not a string',
      },
      {
        path: ['inputs', 2, 'default'],
        code: 'invalid_input_default',
        message: 'The default of loud must be a boolean, not a null',
      },
      {
        path: ['inputs', 3, 'default'],
        code: 'invalid_input_default',
        message: 'The default of options must be an object, not an array',
      },
    ]);
  });

  it('reports a bad default beside the graph errors, all at once', () => {
    const errors = errorsOf({
      start_step: 'missing',
      steps: { a: echo(null) },
      inputs: [{ name: 'count', type: 'number', default: 'three' }],
    });
    expect(errors.map(({ code }) => code)).toEqual(
      expect.arrayContaining(['unknown_start_step', 'invalid_input_default']),
    );
  });
});

describe('workflowDefinitionWarnings', () => {
  it('warns about every path that reads $.variables, empty unless a flow sequence runs it', () => {
    const definition: WorkflowDefinition = {
      start_step: 'a',
      steps: {
        a: {
          transformer_id: 'echo-transformer',
          input_map: { lang: '$.variables.lang', data: '$.job_input.payload' },
          output_map: { picked: '$.a.output.items[?@.lang == $.variables.lang]' },
        },
      },
      output_map: { result: '$.a.output.picked' },
    };
    expect(validate(definition)).toMatchObject({ ok: true });
    expect(workflowDefinitionWarnings(definition)).toEqual([
      {
        path: ['steps', 'a', 'input_map', 'lang'],
        code: 'variables_not_set',
        message: expect.stringContaining('"$.variables.lang" reads $.variables'),
      },
      {
        path: ['steps', 'a', 'output_map', 'picked'],
        code: 'variables_not_set',
        message: expect.any(String),
      },
    ]);
  });

  it('says a flow sequence fills $.variables and a direct start leaves it empty', () => {
    const [warning] = workflowDefinitionWarnings({
      start_step: 'a',
      steps: { a: { transformer_id: 'echo-transformer', input_map: { host: '$.variables.api' } } },
    });
    expect(warning?.message).toBe(
      '"$.variables.api" reads $.variables, which a flow sequence fills with its project\'s variables; when the workflow is started directly rather than from a flow sequence, $.variables is empty and this path matches nothing',
    );
  });

  it("has nothing to say about seed 003's example", () => {
    expect(workflowDefinitionWarnings(seedExample as WorkflowDefinition)).toEqual([]);
  });
});
