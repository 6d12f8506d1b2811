import { describe, expect, it } from 'vitest';
import { configSchemaOf, stepConfigErrors, type TransformerForConfig } from './step-config.ts';

const http: TransformerForConfig = {
  id: 'http-request',
  organisation_id: null,
  type: 'http',
  config: {},
  config_schema: {
    fields: [
      { name: 'method', type: 'string', enum: ['GET', 'POST'] },
      { name: 'url', type: 'string', format: 'url' },
      { name: 'timeout_ms', type: 'integer', minimum: 1, maximum: 120000 },
    ],
  },
};
const preset: TransformerForConfig = {
  id: 'crm-hook',
  organisation_id: '11111111-1111-4111-8111-111111111111',
  type: 'http',
  config: { method: 'POST', url: 'https://api.crm.test/hook' },
  config_schema: { fields: [] },
};
const echo: TransformerForConfig = { id: 'echo-transformer', type: 'echo', config_schema: {} };
const all = [http, preset, echo];

describe('stepConfigErrors', () => {
  it('reports each bad field at steps.<id>.config.<field>', () => {
    const errors = stepConfigErrors(
      {
        steps: {
          call: { transformer_id: 'http-request', config: { method: 'PUT', timeout_ms: 1.5 } },
          ok: { transformer_id: 'http-request', config: { url: 'https://x.test' } },
        },
      },
      all,
    );
    expect(errors.map((e) => e.path.join('.'))).toEqual([
      'steps.call.config.method',
      'steps.call.config.timeout_ms',
    ]);
    expect(errors[0]!.message).toBe('Step call: method must be one of "GET", "POST"');
  });

  it('checks the step config merged over the transformer config', () => {
    // The preset's url stands; the step overrides its method with a bad one.
    expect(
      stepConfigErrors({ steps: { a: { transformer_id: 'crm-hook', config: {} } } }, all),
    ).toEqual([]);
    expect(
      stepConfigErrors(
        { steps: { a: { transformer_id: 'crm-hook', config: { method: 'DELETE' } } } },
        all,
      ).map((e) => e.path.join('.')),
    ).toEqual(['steps.a.config.method']);
  });

  it('checks nothing for a transformer without fields or an unknown one', () => {
    expect(
      stepConfigErrors(
        {
          steps: {
            a: { transformer_id: 'echo-transformer', config: { anything: 1 } },
            b: { transformer_id: 'missing', config: { x: 1 } },
          },
        },
        all,
      ),
    ).toEqual([]);
  });

  it("uses an organisation transformer's own schema when it declares one", () => {
    const own = { ...preset, config_schema: { fields: [{ name: 'url', type: 'boolean' }] } };
    expect(configSchemaOf(own, all).fields.map((f) => f.type)).toEqual(['boolean']);
    expect(configSchemaOf(preset, all).fields.map((f) => f.name)).toEqual([
      'method',
      'url',
      'timeout_ms',
    ]);
  });
});
