import { WORKFLOW_INPUT_TYPES, type WorkflowInputType } from '@forkflow/domain/workflow-inputs';
import { Plus, Trash2 } from 'lucide-react';
import { Fragment, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form-field';
import {
  definitionWithRows,
  emptyInputRow,
  optionApplies,
  rowsFromDefinition,
  type InputRow,
} from '../utils/inputs-editor';

type Props = {
  /** The definition JSON, as the definition editor holds it. */
  definition: string;
  onDefinitionChange: (definition: string) => void;
};

/**
 * A table over the definition's `inputs`, kept in step with the JSON both ways: an edit here
 * rewrites the JSON; an edit in the JSON refills the table. Problems (a bad name, a default
 * not of its type) are reported by the definition editor, at their line.
 */
export function WorkflowInputsEditor({ definition, onDefinitionChange }: Props) {
  const [rows, setRows] = useState<InputRow[] | null>(() => rowsFromDefinition(definition));
  // The text last written from here: when the definition changes to anything else, the JSON
  // was edited, so the rows are read again. Rows are not re-read from what they wrote, which
  // would turn a half-typed default ("1.") into what it parses as under the cursor.
  const [seen, setSeen] = useState(definition);
  const [written, setWritten] = useState<string | null>(null);
  if (definition !== seen) {
    setSeen(definition);
    if (definition !== written) setRows(rowsFromDefinition(definition));
  }

  const update = (next: InputRow[]) => {
    setRows(next);
    const text = definitionWithRows(definition, next);
    if (text === null) return;
    setWritten(text);
    onDefinitionChange(text);
  };
  const edit = (index: number, change: Partial<InputRow>) =>
    rows && update(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <section
      aria-labelledby="workflow-form-inputs"
      className="space-y-3 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div>
        <h2 id="workflow-form-inputs" className="text-sm font-semibold text-slate-900">
          Inputs
        </h2>
        <p className="text-xs text-slate-500">
          What a job's input_data must hold: the Run dialog asks for these, start-workflow checks
          them and fills defaults. None: any JSON object. Kept in step with &quot;inputs&quot; in
          the definition.
        </p>
      </div>
      {rows === null ? (
        <p className="text-sm text-slate-600">
          Edit the inputs in the definition JSON: it does not parse, or its inputs have a shape this
          table can&apos;t show.
        </p>
      ) : (
        <>
          {rows.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="min-w-full text-left text-sm" aria-label="Declared inputs">
                <thead className="text-xs text-slate-500">
                  <tr>
                    <th scope="col" className="py-1 pr-2 font-medium">
                      Name
                    </th>
                    <th scope="col" className="px-2 py-1 font-medium">
                      Type
                    </th>
                    <th scope="col" className="px-2 py-1 font-medium">
                      Required
                    </th>
                    <th scope="col" className="px-2 py-1 font-medium">
                      Default
                    </th>
                    <th scope="col" className="px-2 py-1 font-medium">
                      Description
                    </th>
                    <th scope="col" className="py-1 pl-2">
                      <span className="sr-only">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row, index) => {
                    const label = `Input ${index + 1}`;
                    return (
                      <Fragment key={index}>
                        <tr className="align-top">
                          <td className="py-1 pr-2">
                            <Input
                              aria-label={`${label} name`}
                              value={row.name}
                              onChange={(event) => edit(index, { name: event.target.value })}
                              spellCheck={false}
                              autoComplete="off"
                              className="min-w-32 font-mono"
                            />
                          </td>
                          <td className="px-2 py-1">
                            <Select
                              aria-label={`${label} type`}
                              value={row.type}
                              onChange={(event) =>
                                edit(index, { type: event.target.value as WorkflowInputType })
                              }
                              className="min-w-28"
                            >
                              {WORKFLOW_INPUT_TYPES.map((type) => (
                                <option key={type} value={type}>
                                  {type}
                                </option>
                              ))}
                            </Select>
                          </td>
                          <td className="px-2 py-1 text-center">
                            <input
                              type="checkbox"
                              aria-label={`${label} required`}
                              checked={row.required}
                              onChange={(event) => edit(index, { required: event.target.checked })}
                              className="mt-3 size-4 accent-brand-600"
                            />
                          </td>
                          <td className="px-2 py-1">
                            <Input
                              aria-label={`${label} default`}
                              value={row.default}
                              onChange={(event) => edit(index, { default: event.target.value })}
                              placeholder={row.type === 'string' ? 'text' : 'JSON'}
                              spellCheck={false}
                              autoComplete="off"
                              className="min-w-28 font-mono"
                            />
                          </td>
                          <td className="px-2 py-1">
                            <Input
                              aria-label={`${label} description`}
                              value={row.description}
                              onChange={(event) => edit(index, { description: event.target.value })}
                              className="min-w-40"
                            />
                          </td>
                          <td className="py-1 pl-2">
                            <Button
                              variant="ghost"
                              size="icon"
                              aria-label={`Remove ${row.name || label.toLowerCase()}`}
                              onClick={() => update(rows.filter((_, i) => i !== index))}
                            >
                              <Trash2 className="size-4" aria-hidden />
                            </Button>
                          </td>
                        </tr>
                        <InputOptionsRow
                          row={row}
                          label={label}
                          edit={(change) => edit(index, change)}
                        />
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          <Button variant="secondary" size="sm" onClick={() => update([...rows, emptyInputRow()])}>
            <Plus className="size-4" aria-hidden />
            Add input
          </Button>
        </>
      )}
    </section>
  );
}

const FORMATS = ['', 'email', 'url', 'date'] as const;

/**
 * The typed-field options of an input's type (issue 12 §3), under its row: format, pattern and
 * options for text; range and options for numbers; accepted types and size for a file.
 */
function InputOptionsRow({
  row,
  label,
  edit,
}: {
  row: InputRow;
  label: string;
  edit: (change: Partial<InputRow>) => void;
}) {
  const text = (
    option: 'pattern' | 'enum' | 'minimum' | 'maximum' | 'accept' | 'max_bytes',
    name: string,
    placeholder: string,
  ) =>
    optionApplies(option, row.type) ? (
      <label className="flex items-center gap-1.5 text-xs text-slate-600">
        {name}
        <Input
          aria-label={`${label} ${name.toLowerCase()}`}
          value={row[option]}
          onChange={(event) => edit({ [option]: event.target.value })}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          className="h-8 w-36 font-mono text-xs"
        />
      </label>
    ) : null;
  if (row.type === 'boolean' || row.type === 'object' || row.type === 'array') return null;
  return (
    <tr>
      <td colSpan={6} className="pb-2">
        <div className="flex flex-wrap items-center gap-3 pl-1">
          {optionApplies('format', row.type) ? (
            <label className="flex items-center gap-1.5 text-xs text-slate-600">
              Format
              <Select
                aria-label={`${label} format`}
                value={row.format}
                onChange={(event) => edit({ format: event.target.value })}
                className="h-8 w-28 text-xs"
              >
                {FORMATS.map((format) => (
                  <option key={format} value={format}>
                    {format || 'any'}
                  </option>
                ))}
              </Select>
            </label>
          ) : null}
          {text('pattern', 'Pattern', '[A-Z]{2}')}
          {text('enum', 'Options', 'a, b, c')}
          {text('minimum', 'Min', '0')}
          {text('maximum', 'Max', '100')}
          {text('accept', 'Accept', 'audio/*,.pdf')}
          {text('max_bytes', 'Max bytes', '20000000')}
        </div>
      </td>
    </tr>
  );
}
