import type { FieldRule, FieldSchema } from '@forkflow/domain/field-schema';
import type { FileRef } from '@forkflow/domain/file-ref';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { TypedFields } from '../typed-fields';
import { draftsFromValue, readFields, type FieldDrafts } from '../read-fields';
import type { FileUploader } from '../file-field';

const ORG = '11111111-1111-4111-8111-111111111111';

const FIELDS: FieldSchema[] = [
  { name: 'name', type: 'string', title: 'Name', required: true, description: 'Who' },
  { name: 'email', type: 'string', format: 'email' },
  { name: 'day', type: 'string', format: 'date' },
  { name: 'method', type: 'string', enum: ['GET', 'POST'], title: 'Method' },
  { name: 'limit', type: 'integer', minimum: 1, maximum: 10, title: 'Limit' },
  { name: 'base_ms', type: 'integer', default: 1000 },
  { name: 'cap_ms', type: 'integer' },
  { name: 'loud', type: 'boolean', title: 'Loud' },
  { name: 'headers', type: 'object', title: 'Headers' },
  { name: 'audio', type: 'file', title: 'Audio', accept: 'audio/*', max_bytes: 1000 },
];
const RULES: FieldRule[] = [
  { field: 'cap_ms', gte_field: 'base_ms', message: 'Max delay must be at least the base delay' },
];

/** A form as a caller builds one: drafts in state, errors from readFields, shown as typed. */
function Harness({ upload, onValue }: { upload?: FileUploader; onValue?: (v: unknown) => void }) {
  const [drafts, setDrafts] = useState<FieldDrafts>(() => draftsFromValue(FIELDS));
  const reading = readFields(FIELDS, drafts, { rules: RULES, organisationId: ORG });
  onValue?.(reading.value);
  return (
    <TypedFields
      fields={FIELDS}
      value={drafts}
      onChange={setDrafts}
      errors={reading.errors}
      organisationId={ORG}
      upload={upload}
    />
  );
}

describe('TypedFields', () => {
  it('renders each type as its control, labelled, with required marks and hints', () => {
    render(<Harness />);
    const name = screen.getByRole('textbox', { name: /^Name/ });
    expect(name).toHaveAttribute('aria-required', 'true');
    expect(name).toHaveAccessibleDescription('name is required (string)');
    expect(screen.getByLabelText('email')).toHaveAttribute('type', 'email');
    expect(screen.getByLabelText('day')).toHaveAttribute('type', 'date');
    const method = screen.getByRole('combobox', { name: 'Method' });
    expect([...(method as HTMLSelectElement).options].map((option) => option.textContent)).toEqual([
      'Not set',
      'GET',
      'POST',
    ]);
    const limit = screen.getByRole('spinbutton', { name: 'Limit' });
    expect(limit).toHaveAttribute('min', '1');
    expect(limit).toHaveAttribute('max', '10');
    expect(limit).toHaveAccessibleDescription('A whole number · from 1 to 10');
    expect(screen.getByRole('spinbutton', { name: 'base_ms' })).toHaveValue(1000);
    expect(screen.getByRole('switch', { name: 'Loud' })).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByRole('textbox', { name: 'Headers' })).toHaveAccessibleDescription(
      'A JSON object',
    );
    expect(screen.getByLabelText('Audio')).toHaveAttribute('accept', 'audio/*');
  });

  it('shows format, range and enum errors at their field, and the value they make', async () => {
    const user = userEvent.setup();
    const onValue = vi.fn();
    render(<Harness onValue={onValue} />);
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'Ann');
    await user.type(screen.getByLabelText('email'), 'ann@');
    expect(screen.getByLabelText('email')).toHaveAccessibleDescription(
      'email must be an email address',
    );
    await user.type(screen.getByLabelText('email'), 'x.nl');
    expect(screen.getByLabelText('email')).toHaveAttribute('aria-invalid', 'false');
    await user.type(screen.getByRole('spinbutton', { name: 'Limit' }), '11');
    expect(screen.getByRole('spinbutton', { name: 'Limit' })).toHaveAccessibleDescription(
      'limit must be at most 10',
    );
    await user.selectOptions(screen.getByRole('combobox', { name: 'Method' }), 'POST');
    await user.click(screen.getByRole('switch', { name: 'Loud' }));
    expect(onValue).toHaveBeenLastCalledWith({
      name: 'Ann',
      email: 'ann@x.nl',
      method: 'POST',
      limit: 11,
      base_ms: 1000,
      loud: true,
    });
  });

  it('shows the cross-field rule at its field', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByRole('spinbutton', { name: 'cap_ms' }), '500');
    expect(screen.getByRole('spinbutton', { name: 'cap_ms' })).toHaveAccessibleDescription(
      'Max delay must be at least the base delay',
    );
    await user.clear(screen.getByRole('spinbutton', { name: 'base_ms' }));
    await user.type(screen.getByRole('spinbutton', { name: 'base_ms' }), '400');
    expect(screen.getByRole('spinbutton', { name: 'cap_ms' })).toHaveAttribute(
      'aria-invalid',
      'false',
    );
  });

  it('validates the JSON editor as you type', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const headers = screen.getByRole('textbox', { name: 'Headers' });
    await user.type(headers, '{{"a": ');
    expect(headers).toHaveAccessibleDescription(/^Not valid JSON/);
    await user.clear(headers);
    await user.type(headers, '[[]');
    expect(headers).toHaveAccessibleDescription('headers must be an object, not an array');
    await user.clear(headers);
    await user.type(headers, '{{"a": "b"}');
    expect(headers).toHaveAttribute('aria-invalid', 'false');
  });

  it('uploads a file to the organisation folder, shows it, replaces and removes it', async () => {
    const user = userEvent.setup({ applyAccept: false });
    let finish: () => void = () => {};
    const upload = vi.fn<FileUploader>(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const onValue = vi.fn();
    render(<Harness upload={upload} onValue={onValue} />);
    const picker = screen.getByLabelText('Audio');
    await user.upload(picker, new File(['x'.repeat(600)], 'call.mp3', { type: 'audio/mpeg' }));
    expect(await screen.findByText('Uploading call.mp3…')).toBeInTheDocument();
    expect(upload.mock.calls[0]![0]).toMatch(new RegExp(`^${ORG}/[0-9a-f-]{36}/call\\.mp3$`));
    finish();
    expect(await screen.findByRole('button', { name: 'Replace file for Audio' })).toBeVisible();
    expect(screen.getAllByText('call.mp3')[0]).toBeVisible();
    expect(screen.getByText('600 B')).toBeInTheDocument();
    const ref = onValue.mock.lastCall![0].audio as FileRef;
    expect(ref).toEqual({
      bucket: 'workflow-files',
      path: upload.mock.calls[0]![0],
      name: 'call.mp3',
      size: 600,
      mime_type: 'audio/mpeg',
    });

    // The wrong type or too large a file is refused before any upload.
    await user.upload(picker, new File(['x'], 'notes.txt', { type: 'text/plain' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'notes.txt is not a file of type audio/*',
    );
    await user.upload(picker, new File(['x'.repeat(2000)], 'big.mp3', { type: 'audio/mpeg' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('big.mp3 is 2 KB; at most 1000 B');
    expect(upload).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'Remove call.mp3' }));
    await waitFor(() => expect(onValue.mock.lastCall![0]).not.toHaveProperty('audio'));
    expect(screen.getByRole('button', { name: 'Choose file for Audio' })).toBeInTheDocument();
  });

  it('says when an upload fails and keeps no reference', async () => {
    const user = userEvent.setup();
    const upload = vi.fn<FileUploader>(() => Promise.reject(new Error('new row violates policy')));
    const onValue = vi.fn();
    render(<Harness upload={upload} onValue={onValue} />);
    await user.upload(
      screen.getByLabelText('Audio'),
      new File(['x'], 'a.mp3', { type: 'audio/mpeg' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Upload failed: new row violates policy',
    );
    expect(onValue.mock.lastCall![0]).not.toHaveProperty('audio');
  });
});
