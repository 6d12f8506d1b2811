import { describe, expect, it } from 'vitest';
import {
  copyName,
  emptySequenceStep,
  emptySequenceTemplateFormValues,
  sequenceTemplateInputSchema,
  sequenceTemplateToFormValues,
  toSaveSequenceTemplateArgs,
  type SequenceTemplateFormValues,
} from './sequence-template.ts';

const valid: SequenceTemplateFormValues = {
  ...emptySequenceTemplateFormValues,
  name: 'Demo follow-up',
  steps: [{ ...emptySequenceStep, name: 'Intro call' }],
};

const firstIssue = (values: unknown) => {
  const result = sequenceTemplateInputSchema.safeParse(values);
  return result.success
    ? null
    : { path: result.error.issues[0]?.path.join('.'), message: result.error.issues[0]?.message };
};

describe('sequenceTemplateInputSchema', () => {
  it.each([
    [
      'a name under 3 characters',
      { ...valid, name: ' ab ' },
      'name',
      'The name needs at least 3 characters',
    ],
    ['no steps', { ...valid, steps: [] }, 'steps', 'Add at least one step'],
    [
      'a step without a name',
      { ...valid, steps: [{ ...emptySequenceStep }] },
      'steps.0.name',
      'Name the step',
    ],
    [
      'an empty delay',
      { ...valid, steps: [{ ...valid.steps[0], delay_value: Number.NaN }] },
      'steps.0.delay_value',
      'Enter a delay (0 or more)',
    ],
    [
      'a negative delay',
      { ...valid, steps: [{ ...valid.steps[0], delay_value: -1 }] },
      'steps.0.delay_value',
      'A delay cannot be negative',
    ],
    [
      'a fractional delay',
      { ...valid, steps: [{ ...valid.steps[0], delay_value: 1.5 }] },
      'steps.0.delay_value',
      'Use a whole number',
    ],
    [
      'a delay past the horizon',
      { ...valid, steps: [{ ...valid.steps[0], delay_value: 4000 }] },
      'steps.0.delay_value',
      'At most 3,660 days',
    ],
    [
      'a start delay past the horizon',
      { ...valid, start_delay_value: 100_000, start_delay_unit: 'hours' },
      'start_delay_value',
      'At most 87,840 hours',
    ],
    [
      'a template message without a template',
      { ...valid, steps: [{ ...valid.steps[0], message_source: 'template' }] },
      'steps.0.message_template_id',
      'Choose a message template',
    ],
    [
      'a custom message left blank',
      { ...valid, steps: [{ ...valid.steps[0], message_source: 'custom', custom_message: '  ' }] },
      'steps.0.custom_message',
      'Write the message',
    ],
    ['an unknown exit stage', { ...valid, exit_stages: ['gone'] }, 'exit_stages.0', undefined],
  ])('rejects %s', (_name, values, path, message) => {
    const issue = firstIssue(values);
    expect(issue?.path).toBe(path);
    if (message) expect(issue?.message).toBe(message);
  });

  it('keeps only the chosen message source, trims text and normalises tags', () => {
    const parsed = sequenceTemplateInputSchema.parse({
      ...valid,
      description: '  ',
      tags: ['Demo ', 'demo', 'Follow  Up'],
      exit_stages: ['won', 'won', 'lost'],
      steps: [
        {
          ...valid.steps[0],
          message_source: 'custom',
          message_template_id: '50000000-0000-4000-8000-000000000001',
          custom_message: '  Hi {contact_first_name|there}  ',
        },
      ],
    });
    expect(parsed.description).toBeNull();
    expect(parsed.tags).toEqual(['demo', 'follow up']);
    expect(parsed.exit_stages).toEqual(['won', 'lost']);
    expect(parsed.steps[0]).toMatchObject({
      message_template_id: null,
      custom_message: 'Hi {contact_first_name|there}',
      task_template_id: null,
      assigned_to_override: null,
    });
    // What the form hands the mutation parses again to itself.
    expect(sequenceTemplateInputSchema.parse(parsed)).toEqual(parsed);
  });
});

describe('toSaveSequenceTemplateArgs', () => {
  it('numbers the steps by position and sends the organisation for a new template', () => {
    const input = sequenceTemplateInputSchema.parse({
      ...valid,
      steps: [
        { ...valid.steps[0], id: '40000000-0000-4000-8000-000000000002', name: 'B' },
        { ...valid.steps[0], name: 'A' },
      ],
    });
    const args = toSaveSequenceTemplateArgs('00000000-0000-4000-8000-000000000001', input);
    expect(args.p_template).toMatchObject({
      name: 'Demo follow-up',
      organisation_id: '00000000-0000-4000-8000-000000000001',
    });
    expect(args.p_steps.map((step) => [step.id, step.name, step.step_order])).toEqual([
      ['40000000-0000-4000-8000-000000000002', 'B', 1],
      [undefined, 'A', 2],
    ]);
    expect(args.p_steps[0]).not.toHaveProperty('message_source');
  });
});

describe('sequenceTemplateToFormValues', () => {
  it('orders steps and infers where each message comes from', () => {
    const step = {
      id: '40000000-0000-4000-8000-000000000001',
      step_order: 2,
      name: 'Email',
      description: null,
      type: 'email',
      priority: 'high',
      task_template_id: null,
      message_template_id: '50000000-0000-4000-8000-000000000001',
      custom_message: null,
      delay_value: 1,
      delay_unit: 'days',
      assigned_to_override: null,
    };
    const values = sequenceTemplateToFormValues(
      {
        id: '30000000-0000-4000-8000-000000000001',
        name: 'Demo',
        description: null,
        tags: [],
        is_active: true,
        start_delay_value: 0,
        start_delay_unit: 'weeks',
        exit_stages: ['won', 'gone'],
      },
      [
        step,
        {
          ...step,
          id: '40000000-0000-4000-8000-000000000002',
          step_order: 1,
          name: 'Call',
          message_template_id: null,
          custom_message: 'Hi',
        },
      ],
    );
    expect(values.steps.map((s) => [s.name, s.message_source])).toEqual([
      ['Call', 'custom'],
      ['Email', 'template'],
    ]);
    expect(values.start_delay_unit).toBe('days');
    expect(values.exit_stages).toEqual(['won']);
  });
});

describe('copyName', () => {
  it.each([
    ['Demo Follow-up', 'Copy of Demo Follow-up'],
    ['x'.repeat(120), `Copy of ${'x'.repeat(112)}`],
  ])('%s', (name, copy) => expect(copyName(name)).toBe(copy));
});

describe('automated steps (issue 14)', () => {
  const WORKFLOW_ID = '00000000-0000-4000-8000-0000000000aa';
  const automated = {
    ...emptySequenceStep,
    name: 'Enrich lead',
    type: 'automated' as const,
    workflow_id: WORKFLOW_ID,
    input_map: { payload: { source: 'restaurant', field: 'name' } },
    // Left over from a manual type: an automated task has no message.
    message_source: 'custom' as const,
    custom_message: 'Hi',
  };

  it('an automated step without a workflow is refused', () => {
    expect(
      firstIssue({ ...valid, steps: [{ ...automated, workflow_id: '', custom_message: '' }] }),
    ).toEqual({ path: 'steps.0.workflow_id', message: 'Choose a workflow' });
  });

  it('an automated step keeps its workflow and input map and drops any message', () => {
    const input = sequenceTemplateInputSchema.parse({ ...valid, steps: [automated] });
    const { p_steps } = toSaveSequenceTemplateArgs('org', input);
    expect(p_steps[0]).toMatchObject({
      type: 'automated',
      workflow_id: WORKFLOW_ID,
      input_map: { payload: { source: 'restaurant', field: 'name' } },
      message_template_id: null,
      custom_message: null,
      step_order: 1,
    });
  });

  it('a manual step never carries a workflow', () => {
    const input = sequenceTemplateInputSchema.parse({
      ...valid,
      steps: [{ ...automated, type: 'call' }],
    });
    expect(input.steps[0]).toMatchObject({
      workflow_id: null,
      input_map: {},
      custom_message: 'Hi',
    });
  });

  it('a saved automated step reads back into the builder', () => {
    const values = sequenceTemplateToFormValues(
      {
        id: 't',
        name: 'T',
        description: null,
        tags: [],
        is_active: true,
        start_delay_value: 0,
        start_delay_unit: 'days',
        exit_stages: [],
      },
      [
        {
          id: 's',
          step_order: 1,
          name: 'Enrich lead',
          description: null,
          type: 'automated',
          priority: 'medium',
          task_template_id: null,
          message_template_id: null,
          custom_message: null,
          delay_value: 0,
          delay_unit: 'days',
          assigned_to_override: null,
          workflow_id: WORKFLOW_ID,
          input_map: { payload: { source: 'value', value: 'x' } },
        },
      ],
    );
    expect(values.steps[0]).toMatchObject({
      type: 'automated',
      workflow_id: WORKFLOW_ID,
      input_map: { payload: { source: 'value', value: 'x' } },
    });
  });
});
