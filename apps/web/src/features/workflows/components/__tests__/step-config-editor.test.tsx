import type { TransformerForConfig } from '@forkflow/domain/step-config';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { configWithFields, StepConfigEditor } from '../step-config-editor';

const ORG = '11111111-1111-4111-8111-111111111111';

const http: TransformerForConfig = {
  id: 'http-request',
  organisation_id: null,
  type: 'http',
  config: {},
  config_schema: {
    fields: [
      { name: 'method', type: 'string', title: 'Method', enum: ['GET', 'POST'] },
      { name: 'url', type: 'string', title: 'URL', format: 'url' },
      { name: 'headers', type: 'object', title: 'Headers' },
      { name: 'timeout_ms', type: 'integer', title: 'Timeout (ms)', minimum: 1, maximum: 120000 },
      { name: 'follow', type: 'boolean', title: 'Follow redirects' },
    ],
  },
};
const preset: TransformerForConfig = {
  id: 'crm-hook',
  organisation_id: ORG,
  type: 'http',
  config: { method: 'POST', url: 'https://api.crm.test/hook' },
  config_schema: { fields: [] },
};

/** The editor beside a JSON text of the same config, as the workflow form holds them. */
function Harness({
  transformer = http,
  initial = {},
}: {
  transformer?: TransformerForConfig;
  initial?: Record<string, unknown>;
}) {
  const [config, setConfig] = useState<Record<string, unknown>>(initial);
  const [text, setText] = useState(JSON.stringify(initial));
  return (
    <>
      <label>
        JSON
        <textarea
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            try {
              setConfig(JSON.parse(event.target.value) as Record<string, unknown>);
            } catch {
              // half-typed: the config stays
            }
          }}
        />
      </label>
      <output aria-label="config">{JSON.stringify(config)}</output>
      <StepConfigEditor
        transformer={transformer}
        transformers={[http, preset]}
        config={config}
        organisationId={ORG}
        onChange={(next) => {
          setConfig(next);
          setText(JSON.stringify(next));
        }}
      />
    </>
  );
}

const written = () => JSON.parse(screen.getByLabelText('config').textContent ?? '{}') as unknown;

describe('StepConfigEditor', () => {
  it('writes typed fields into the config, keeping members no field declares', async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ extra: 1, url: 'https://old.test' }} />);
    expect(screen.getByRole('heading', { name: 'Configure' })).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Method' }), 'POST');
    await user.type(screen.getByRole('spinbutton', { name: 'Timeout (ms)' }), '5000');
    await user.click(screen.getByRole('switch', { name: 'Follow redirects' }));
    expect(written()).toEqual({
      extra: 1,
      url: 'https://old.test',
      method: 'POST',
      timeout_ms: 5000,
      follow: true,
    });
    await user.clear(screen.getByRole('textbox', { name: 'URL' }));
    expect(written()).toEqual({ extra: 1, method: 'POST', timeout_ms: 5000, follow: true });
  });

  it('follows the JSON editor: a config changed there re-fills the fields', () => {
    render(<Harness initial={{ method: 'GET' }} />);
    fireEvent.change(screen.getByRole('textbox', { name: 'JSON' }), {
      target: { value: '{"method":"POST","timeout_ms":42,"headers":{"a":"b"}}' },
    });
    expect(screen.getByRole('combobox', { name: 'Method' })).toHaveValue('POST');
    expect(screen.getByRole('spinbutton', { name: 'Timeout (ms)' })).toHaveValue(42);
    expect(screen.getByRole('textbox', { name: 'Headers' })).toHaveValue(
      JSON.stringify({ a: 'b' }, null, 2),
    );
  });

  it('shows errors at the field and keeps half-typed JSON without writing it', async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ headers: { a: 'b' } }} />);
    await user.type(screen.getByRole('spinbutton', { name: 'Timeout (ms)' }), '200000');
    expect(screen.getByRole('spinbutton', { name: 'Timeout (ms)' })).toHaveAccessibleDescription(
      'timeout_ms must be at most 120000',
    );
    const headers = screen.getByRole('textbox', { name: 'Headers' });
    await user.type(headers, ',');
    expect(headers).toHaveAccessibleDescription(/^Not valid JSON/);
    // The config keeps the last headers that read; the field keeps what is being typed.
    expect(written()).toEqual({ headers: { a: 'b' }, timeout_ms: 200000 });
    expect(headers).toHaveValue('{\n  "a": "b"\n},');
  });

  it("checks an organisation preset with its type's schema, merged: the preset shows as placeholder", () => {
    render(<Harness transformer={preset} />);
    expect(screen.getByRole('textbox', { name: 'URL' })).toHaveAttribute(
      'placeholder',
      'https://api.crm.test/hook',
    );
    expect(screen.getByRole('combobox', { name: 'Method' })).toHaveDisplayValue('Preset: POST');
  });

  it('says when a transformer declares no settings', () => {
    render(
      <StepConfigEditor
        transformer={{ id: 'echo-transformer', config_schema: { fields: [] } }}
        config={{}}
        organisationId={ORG}
        onChange={() => {}}
      />,
    );
    expect(screen.getByText(/echo-transformer declares no settings/)).toBeInTheDocument();
  });
});

describe('configWithFields', () => {
  it('replaces declared members in place and appends new ones', () => {
    expect(configWithFields({ a: 1, x: 0, b: 2 }, ['a', 'b', 'c'], { b: 3, c: 4 })).toEqual({
      x: 0,
      b: 3,
      c: 4,
    });
    expect(Object.keys(configWithFields({ b: 1, x: 0 }, ['b'], { b: 2 }))).toEqual(['b', 'x']);
  });
});
