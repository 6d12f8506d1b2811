import {
  stepIdSchema,
  type WorkflowDefinition,
  type WorkflowStep,
} from '@forkflow/domain/workflow-definition';
import { isBranching } from '@forkflow/domain/workflow-branches';
import { ChevronDown, ChevronRight, GitBranch, Plus, Trash2, X } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input, Select, Textarea } from '@/components/ui/form-field';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';
import type { Transformer } from '../../api/queries';
import { StepConfigEditor } from '../step-config-editor';
import { TestStepPanel } from '../test-step-panel';
import {
  addBranch,
  DefinitionEditError,
  removeBranch,
  renameStep,
  setStartStep,
  toLinear,
  updateBranch,
  updateStep,
  reconnect,
  type EdgeRef,
  type PlacedErrors,
} from '../../utils/definition-graph';

// The side panel of the canvas: everything about the selected step, as form fields, each
// change one edit operation on the definition (definition-graph.ts). The "Next" selects
// are the keyboard way to reconnect what the canvas lets you drag.

const END = '';

type Props = {
  definition: WorkflowDefinition;
  stepId: string;
  transformers: Transformer[] | undefined;
  errors: PlacedErrors;
  onChange: (definition: WorkflowDefinition) => void;
  /** After a rename the selection follows the step. */
  onRenamed: (to: string) => void;
  /** Absent: no close button (the Form view shows every step). */
  onClose?: () => void;
  onRemove: (stepId: string) => void;
  onAddStepOn: (ref: EdgeRef) => void;
};

function TargetSelect({
  label,
  value,
  stepIds,
  self,
  onChange,
  error,
}: {
  label: string;
  value: string | null | undefined;
  stepIds: string[];
  self: string;
  onChange: (to: string | null) => void;
  error?: string | undefined;
}) {
  return (
    <Field label={label} error={error}>
      {(control) => (
        <Select
          {...control}
          value={value ?? END}
          onChange={(event) => onChange(event.target.value || null)}
        >
          <option value={END}>End the workflow</option>
          {stepIds
            .filter((id) => id !== self)
            .map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
        </Select>
      )}
    </Field>
  );
}

export function StepPanel({
  definition,
  stepId,
  transformers,
  errors,
  onChange,
  onRenamed,
  onClose,
  onRemove,
  onAddStepOn,
}: Props) {
  const step = definition.steps[stepId] as WorkflowStep;
  const stepIds = Object.keys(definition.steps);
  const headingId = useId();
  const organisation = useCurrentOrganisation();
  const [idText, setIdText] = useState(stepId);
  const [idError, setIdError] = useState<string | null>(null);
  const [configText, setConfigText] = useState(() => JSON.stringify(step.config ?? {}, null, 2));
  const [configError, setConfigError] = useState<string | null>(null);
  const [newWhen, setNewWhen] = useState('');
  const [newLabel, setNewLabel] = useState('');
  const [newTarget, setNewTarget] = useState<string>(END);
  const [branchError, setBranchError] = useState<string | null>(null);
  const [testOpen, setTestOpen] = useState(false);
  const testId = useId();

  // The config text follows the definition when it changes elsewhere (JSON view, undo);
  // the panel is keyed by step id, so selecting another step starts it over.
  const configJson = JSON.stringify(step.config ?? {}, null, 2);
  const [seenConfig, setSeenConfig] = useState(configJson);
  if (seenConfig !== configJson) {
    setSeenConfig(configJson);
    setConfigText(configJson);
    setConfigError(null);
  }

  const apply = (edit: () => WorkflowDefinition, onError: (message: string) => void) => {
    try {
      onChange(edit());
    } catch (error) {
      if (error instanceof DefinitionEditError) onError(error.message);
      else throw error;
    }
  };

  const commitId = () => {
    const to = idText.trim();
    if (to === stepId) return;
    const valid = stepIdSchema.safeParse(to);
    if (!valid.success) {
      setIdError(valid.error.issues[0]?.message ?? 'Not a valid step id');
      return;
    }
    apply(() => {
      const renamed = renameStep(definition, stepId, to);
      onRenamed(to);
      return renamed;
    }, setIdError);
  };

  const commitConfig = () => {
    if (configText.trim() === configJson.trim()) return;
    let value: unknown;
    try {
      value = configText.trim() ? JSON.parse(configText) : {};
    } catch (error) {
      setConfigError(`Not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      setConfigError('The config is a JSON object, e.g. { "model": "…" }');
      return;
    }
    setConfigError(null);
    const config = value as Record<string, unknown>;
    onChange(
      updateStep(definition, stepId, {
        config: Object.keys(config).length > 0 ? config : undefined,
      }),
    );
  };

  const inputRows = Object.entries(step.input_map ?? {});
  const setInputs = (rows: [string, string][]) =>
    onChange(
      updateStep(definition, stepId, {
        input_map: rows.length > 0 ? Object.fromEntries(rows) : undefined,
      }),
    );

  const edgeError = (key: string) => errors.edges.get(key)?.join(' ');
  const branching = isBranching(step);
  const transformerKnown = transformers?.some(
    (transformer) => transformer.id === step.transformer_id,
  );

  return (
    <section
      aria-labelledby={headingId}
      className="space-y-4 rounded-lg bg-white px-4 py-4 ring-1 ring-slate-200"
    >
      <div className="flex items-center justify-between gap-2">
        <h3 id={headingId} className="text-sm font-semibold text-slate-900">
          Step <span className="font-mono">{stepId}</span>
        </h3>
        {onClose ? (
          <Button variant="ghost" size="icon" aria-label="Close the step panel" onClick={onClose}>
            <X className="size-4" aria-hidden />
          </Button>
        ) : null}
      </div>

      {(errors.nodes.get(stepId) ?? []).length > 0 ? (
        <ul
          aria-label={`Problems with ${stepId}`}
          className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-xs text-red-800"
        >
          {(errors.nodes.get(stepId) ?? []).map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}

      <Field
        label="Step id"
        error={idError ?? undefined}
        hint="Renaming also updates paths that read its output."
      >
        {(control) => (
          <Input
            {...control}
            value={idText}
            onChange={(event) => setIdText(event.target.value)}
            onBlur={commitId}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                commitId();
              }
            }}
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
          />
        )}
      </Field>

      {definition.start_step === stepId ? (
        <p className="text-xs text-slate-600">The workflow starts here.</p>
      ) : (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => onChange(setStartStep(definition, stepId))}
        >
          Start the workflow here
        </Button>
      )}

      <Field label="Transformer">
        {(control) => (
          <Select
            {...control}
            value={step.transformer_id}
            onChange={(event) =>
              onChange(updateStep(definition, stepId, { transformer_id: event.target.value }))
            }
          >
            {!transformerKnown ? (
              <option value={step.transformer_id}>{step.transformer_id}</option>
            ) : null}
            {(transformers ?? [])
              // A retired transformer stays on the step that has it, and is offered to no other.
              .filter((t) => !t.retired_at || t.id === step.transformer_id)
              .map((transformer) => (
                <option key={transformer.id} value={transformer.id}>
                  {transformer.id}
                </option>
              ))}
          </Select>
        )}
      </Field>

      <Field label="Description">
        {(control) => (
          <Input
            {...control}
            value={step.description ?? ''}
            onChange={(event) =>
              onChange(
                updateStep(definition, stepId, { description: event.target.value || undefined }),
              )
            }
          />
        )}
      </Field>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Inputs</legend>
        {inputRows.length === 0 ? (
          <p className="text-xs text-slate-500">No mapped inputs.</p>
        ) : null}
        {inputRows.map(([key, path], index) => (
          <div key={index} className="flex items-center gap-1.5">
            <Input
              aria-label={`Input ${index + 1} name`}
              value={key}
              className="w-28 font-mono text-xs"
              onChange={(event) =>
                setInputs(
                  inputRows.map((row, i) => (i === index ? [event.target.value, row[1]] : row)),
                )
              }
            />
            <Input
              aria-label={`Input ${index + 1} path`}
              value={path}
              className="min-w-0 flex-1 font-mono text-xs"
              onChange={(event) =>
                setInputs(
                  inputRows.map((row, i) => (i === index ? [row[0], event.target.value] : row)),
                )
              }
            />
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove input ${key || index + 1}`}
              onClick={() => setInputs(inputRows.filter((_, i) => i !== index))}
            >
              <X className="size-4" aria-hidden />
            </Button>
          </div>
        ))}
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            let name = 'data';
            for (let n = 2; inputRows.some(([key]) => key === name); n += 1) name = `data${n}`;
            setInputs([...inputRows, [name, '$.job_input']]);
          }}
        >
          <Plus className="size-4" aria-hidden />
          Add input
        </Button>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-800">Next</legend>
        {!branching ? (
          <TargetSelect
            label="Next step"
            value={step.next_step}
            stepIds={stepIds}
            self={stepId}
            error={edgeError(`${stepId}:next`)}
            onChange={(to) =>
              onChange(reconnect(definition, { from: stepId, kind: 'next_step' }, to))
            }
          />
        ) : (
          <>
            <ol aria-label={`Branches of ${stepId}`} className="space-y-3">
              {(step.next ?? []).map((branch, index) => (
                <li
                  key={index}
                  className="space-y-2 rounded-md bg-slate-50 p-2 ring-1 ring-slate-200"
                >
                  <p className="text-xs font-medium text-slate-700">Branch {index + 1}</p>
                  <Field
                    label={`Branch ${index + 1} condition`}
                    error={edgeError(`${stepId}:branch:${index}`)}
                  >
                    {(control) => (
                      <Input
                        {...control}
                        value={branch.when}
                        className="font-mono text-xs"
                        spellCheck={false}
                        onChange={(event) =>
                          onChange(
                            updateBranch(definition, stepId, index, { when: event.target.value }),
                          )
                        }
                      />
                    )}
                  </Field>
                  <Field label={`Branch ${index + 1} label`}>
                    {(control) => (
                      <Input
                        {...control}
                        value={branch.label ?? ''}
                        onChange={(event) =>
                          onChange(
                            updateBranch(definition, stepId, index, { label: event.target.value }),
                          )
                        }
                      />
                    )}
                  </Field>
                  <TargetSelect
                    label={`Branch ${index + 1} goes to`}
                    value={branch.step}
                    stepIds={stepIds}
                    self={stepId}
                    onChange={(to) =>
                      onChange(updateBranch(definition, stepId, index, { step: to }))
                    }
                  />
                  <div className="flex flex-wrap gap-2">
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => onAddStepOn({ from: stepId, kind: 'branch', index })}
                    >
                      <Plus className="size-4" aria-hidden />
                      Add a step on branch {index + 1}
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => onChange(removeBranch(definition, stepId, index))}
                    >
                      <Trash2 className="size-4" aria-hidden />
                      Remove branch {index + 1}
                    </Button>
                  </div>
                </li>
              ))}
            </ol>
            <TargetSelect
              label="Otherwise (no branch matches)"
              value={step.default}
              stepIds={stepIds}
              self={stepId}
              error={edgeError(`${stepId}:default`)}
              onChange={(to) =>
                onChange(reconnect(definition, { from: stepId, kind: 'default' }, to))
              }
            />
            <Button
              variant="ghost"
              size="sm"
              onClick={() => onChange(toLinear(definition, stepId))}
            >
              Remove all branches
            </Button>
          </>
        )}

        <div className="space-y-2 rounded-md p-2 ring-1 ring-slate-200">
          <p className="flex items-center gap-1 text-xs font-medium text-slate-700">
            <GitBranch className="size-3.5" aria-hidden />
            Add a branch
          </p>
          <Field
            label="New branch condition"
            error={branchError ?? undefined}
            hint="A filter on this step's output as @, e.g. @.score > 50 && @.country == 'NL'"
          >
            {(control) => (
              <Input
                {...control}
                value={newWhen}
                className="font-mono text-xs"
                spellCheck={false}
                onChange={(event) => setNewWhen(event.target.value)}
              />
            )}
          </Field>
          <Field label="New branch label">
            {(control) => (
              <Input
                {...control}
                value={newLabel}
                onChange={(event) => setNewLabel(event.target.value)}
              />
            )}
          </Field>
          <TargetSelect
            label="New branch goes to"
            value={newTarget || null}
            stepIds={stepIds}
            self={stepId}
            onChange={(to) => setNewTarget(to ?? END)}
          />
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              if (!newWhen.trim()) {
                setBranchError('Write the condition, e.g. @.score > 50');
                return;
              }
              setBranchError(null);
              apply(
                () => addBranch(definition, stepId, newWhen.trim(), newTarget || null, newLabel),
                setBranchError,
              );
              setNewWhen('');
              setNewLabel('');
              setNewTarget(END);
            }}
          >
            <Plus className="size-4" aria-hidden />
            Add branch
          </Button>
        </div>
      </fieldset>

      <StepConfigEditor
        transformer={transformers?.find((transformer) => transformer.id === step.transformer_id)}
        transformers={transformers}
        config={step.config}
        organisationId={organisation.id}
        onChange={(config) =>
          onChange(
            updateStep(definition, stepId, {
              config: Object.keys(config).length > 0 ? config : undefined,
            }),
          )
        }
      />

      <Field
        label="Config (JSON)"
        error={configError ?? undefined}
        hint="Settings handed to the transformer; applied when you leave the field."
      >
        {(control) => (
          <Textarea
            {...control}
            value={configText}
            rows={4}
            spellCheck={false}
            className="font-mono text-xs"
            onChange={(event) => setConfigText(event.target.value)}
            onBlur={commitConfig}
          />
        )}
      </Field>

      {/* test-step refuses members, so only owners and admins see it (the editor is theirs
          anyway); closed, the panel is not mounted, so it costs nothing until opened. */}
      {canManageWorkflows(organisation.role) ? (
        <div className="border-t border-slate-100 pt-3">
          <button
            type="button"
            aria-expanded={testOpen}
            aria-controls={testId}
            onClick={() => setTestOpen((open) => !open)}
            className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-700 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            {testOpen ? (
              <ChevronDown className="size-4" aria-hidden />
            ) : (
              <ChevronRight className="size-4" aria-hidden />
            )}
            Test this step
          </button>
          {testOpen ? (
            <div id={testId} className="mt-3">
              <TestStepPanel
                organisationId={organisation.id}
                step={step as Record<string, unknown>}
                stepId={stepId}
              />
            </div>
          ) : null}
        </div>
      ) : null}

      <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-3">
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            onAddStepOn(
              branching ? { from: stepId, kind: 'default' } : { from: stepId, kind: 'next_step' },
            )
          }
        >
          <Plus className="size-4" aria-hidden />
          Add a step after
        </Button>
        <Button variant="secondary-danger" size="sm" onClick={() => onRemove(stepId)}>
          <Trash2 className="size-4" aria-hidden />
          Remove step
        </Button>
      </div>
    </section>
  );
}
