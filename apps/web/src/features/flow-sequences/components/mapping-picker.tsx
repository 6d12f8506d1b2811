import type { SequenceParameter } from '@forkflow/domain/flows/schemas';
import { useId } from 'react';
import { Select } from '@/components/ui/form-field';
import type { DraftMapping } from '../utils/draft';

/** A flow before the one being edited, and the fields its output offers. */
export type EarlierFlow = { id: string; workflowName: string; fields: string[][] };

const PARAMETER = 'sequence_parameter';
const flowOption = (id: string) => `flow:${id}`;

const sourceValue = (mapping: DraftMapping | undefined) =>
  !mapping ? '' : mapping.source === 'sequence_parameter' ? PARAMETER : flowOption(mapping.flow_id);

/**
 * Where one flow parameter takes its value, picked with two dropdowns and nothing typed:
 * first the source (a sequence parameter, or the output of an earlier flow — flow 1 has
 * none), then the parameter or the output field.
 */
export function MappingPicker({
  inputName,
  mapping,
  parameters,
  earlierFlows,
  hasDefault,
  invalid,
  disabled,
  onChange,
}: {
  inputName: string;
  mapping: DraftMapping | undefined;
  parameters: readonly SequenceParameter[];
  earlierFlows: readonly EarlierFlow[];
  hasDefault: boolean;
  invalid: boolean;
  disabled?: boolean;
  onChange: (mapping: DraftMapping | undefined) => void;
}) {
  const id = useId();
  const source = sourceValue(mapping);
  // A saved mapping to a flow that is no longer earlier stays visible (and flagged) until
  // the user changes it.
  const staleFlow =
    mapping?.source === 'flow_output' && !earlierFlows.some((flow) => flow.id === mapping.flow_id)
      ? mapping.flow_id
      : null;
  const flow =
    mapping?.source === 'flow_output'
      ? earlierFlows.find((candidate) => candidate.id === mapping.flow_id)
      : undefined;
  const fields = flow?.fields ?? [];
  const currentField = mapping?.source === 'flow_output' ? JSON.stringify(mapping.path) : '';
  const fieldOptions = fields.map((path) => JSON.stringify(path));
  if (currentField !== '[]' && currentField !== '' && !fieldOptions.includes(currentField))
    fieldOptions.push(currentField);

  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-source`} className="sr-only">
          Source of {inputName}
        </label>
        <Select
          id={`${id}-source`}
          value={source}
          disabled={disabled}
          aria-invalid={invalid}
          onChange={(event) => {
            const value = event.target.value;
            if (value === '') onChange(undefined);
            else if (value === PARAMETER) onChange({ source: 'sequence_parameter', parameter: '' });
            else onChange({ source: 'flow_output', flow_id: value.slice(5), path: [] });
          }}
        >
          <option value="">{hasDefault ? 'Not mapped (its default)' : 'Not mapped'}</option>
          <option value={PARAMETER}>Sequence parameter</option>
          {earlierFlows.map((earlier) => (
            <option key={earlier.id} value={flowOption(earlier.id)}>
              Output of {earlier.id} · {earlier.workflowName}
            </option>
          ))}
          {staleFlow ? (
            <option value={flowOption(staleFlow)}>
              Output of {staleFlow} (not before this flow)
            </option>
          ) : null}
        </Select>
      </div>
      {mapping?.source === 'sequence_parameter' ? (
        <div>
          <label htmlFor={`${id}-parameter`} className="sr-only">
            Sequence parameter for {inputName}
          </label>
          <Select
            id={`${id}-parameter`}
            value={mapping.parameter}
            disabled={disabled}
            aria-invalid={invalid}
            onChange={(event) => onChange({ ...mapping, parameter: event.target.value })}
          >
            <option value="">Pick a parameter…</option>
            {parameters.map((parameter) => (
              <option key={parameter.name} value={parameter.name}>
                {parameter.name} ({parameter.type})
              </option>
            ))}
            {mapping.parameter && !parameters.some((p) => p.name === mapping.parameter) ? (
              <option value={mapping.parameter}>{mapping.parameter} (no longer a parameter)</option>
            ) : null}
          </Select>
        </div>
      ) : mapping?.source === 'flow_output' ? (
        <div>
          <label htmlFor={`${id}-field`} className="sr-only">
            Field of {mapping.flow_id} for {inputName}
          </label>
          <Select
            id={`${id}-field`}
            value={mapping.path.length > 0 ? currentField : ''}
            disabled={disabled}
            aria-invalid={invalid}
            onChange={(event) =>
              onChange({
                ...mapping,
                path: event.target.value ? (JSON.parse(event.target.value) as string[]) : [],
              })
            }
          >
            <option value="">
              {fieldOptions.length === 0 ? 'No known fields: run it once' : 'Pick a field…'}
            </option>
            {fieldOptions.map((value) => (
              <option key={value} value={value}>
                {(JSON.parse(value) as string[]).join('.')}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
    </div>
  );
}
