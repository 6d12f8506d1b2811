import {
  stepIdSchema,
  validateWorkflowDefinition,
  type WorkflowDefinition,
} from '@forkflow/domain/workflow-definition';
import { useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import type { Transformer } from '../../api/queries';
import {
  addStepAfter,
  DefinitionEditError,
  freeStepId,
  placeErrors,
  reconnect,
  removeStep,
  type EdgeRef,
  type PlacedErrors,
} from '../../utils/definition-graph';
import { FlowCanvas } from './flow-canvas';
import { StepPanel } from './step-panel';

// The workflow as a graph (issue 12 §5; docs/workflow-manager/canvas.md). Read-only on the
// workflow page; in the editor every change goes through onChange with a new definition
// (definition-graph.ts's edit operations), so the form's one definition state — and the
// JSON view — follow. Keyboard: Tab to a step, Enter opens its panel, Delete removes it
// (with Undo); the panel's fields and "Next" selects do everything dragging does.

type Props = {
  definition: WorkflowDefinition;
  /** Absent: read-only. */
  onChange?: (definition: WorkflowDefinition) => void;
  /** The organisation's transformers; undefined while they load. */
  transformers?: Transformer[] | undefined;
  label?: string;
};

const noErrors: PlacedErrors = { nodes: new Map(), edges: new Map(), other: [] };

export function WorkflowCanvas({
  definition,
  onChange,
  transformers,
  label = 'Workflow canvas',
}: Props) {
  const { toast } = useToast();
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState<EdgeRef | null>(null);
  const editable = Boolean(onChange);

  const errors = useMemo(() => {
    if (!editable) return noErrors;
    const result = validateWorkflowDefinition(definition, {
      knownTransformerIds: transformers?.map((transformer) => transformer.id) ?? [],
    });
    if (result.ok) return noErrors;
    // Until the transformers load, an id cannot be judged unknown.
    return placeErrors(
      transformers
        ? result.errors
        : result.errors.filter((error) => error.code !== 'unknown_transformer'),
    );
  }, [definition, transformers, editable]);

  const selectedStep = selected && Object.hasOwn(definition.steps, selected) ? selected : null;

  const remove = useCallback(
    (stepId: string) => {
      if (!onChange) return;
      try {
        const before = definition;
        onChange(removeStep(definition, stepId));
        setSelected(null);
        toast({
          title: `Step ${stepId} removed`,
          action: { label: 'Undo', onClick: () => onChange(before) },
          duration: 10_000,
        });
      } catch (error) {
        if (!(error instanceof DefinitionEditError)) throw error;
        toast({
          tone: 'error',
          title: `Couldn't remove ${stepId}`,
          description: error.message,
          duration: 8000,
        });
      }
    },
    [definition, onChange, toast],
  );

  const onNodeKey = useCallback(
    (stepId: string, event: KeyboardEvent<HTMLElement>) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        setSelected(stepId);
      } else if (editable && (event.key === 'Delete' || event.key === 'Backspace')) {
        event.preventDefault();
        remove(stepId);
      }
    },
    [editable, remove],
  );

  const onAddAfter = useCallback(
    (stepId: string) => {
      const step = definition.steps[stepId];
      if (!step) return;
      const branching = step.next !== undefined || step.default !== undefined;
      setAdding(
        branching ? { from: stepId, kind: 'default' } : { from: stepId, kind: 'next_step' },
      );
    },
    [definition],
  );

  const onReconnect = useCallback(
    (ref: EdgeRef, to: string | null) => {
      if (!onChange || to === ref.from) return;
      onChange(reconnect(definition, ref, to));
    },
    [definition, onChange],
  );

  const onConnect = useCallback(
    (from: string, to: string | null) => {
      const step = definition.steps[from];
      if (!onChange || !step || to === from) return;
      // A new line from a linear step is its next step; a branching step gets branches
      // from the panel (a branch needs its condition).
      if (step.next !== undefined || step.default !== undefined) {
        setSelected(from);
        toast({
          title: 'Add the branch in the panel',
          description: 'A branch needs its condition.',
        });
        return;
      }
      onChange(reconnect(definition, { from, kind: 'next_step' }, to));
    },
    [definition, onChange, toast],
  );

  return (
    <div className="space-y-3">
      {errors.other.length > 0 ? (
        <ul
          aria-label="Workflow problems"
          className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-xs text-red-800"
        >
          {errors.other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      <div
        className={
          editable ? 'grid grid-cols-1 gap-3 xl:grid-cols-[minmax(0,1fr)_20rem]' : undefined
        }
      >
        <FlowCanvas
          definition={definition}
          errors={errors}
          label={label}
          selectedStepId={selectedStep}
          onSelectStep={setSelected}
          onNodeKey={onNodeKey}
          {...(editable ? { onAddAfter, onReconnect, onConnect } : {})}
        />
        {editable && onChange ? (
          selectedStep ? (
            <StepPanel
              key={selectedStep}
              definition={definition}
              stepId={selectedStep}
              transformers={transformers}
              errors={errors}
              onChange={onChange}
              onRenamed={setSelected}
              onClose={() => setSelected(null)}
              onRemove={remove}
              onAddStepOn={setAdding}
            />
          ) : (
            <p className="rounded-lg bg-white px-4 py-3 text-sm text-slate-600 ring-1 ring-slate-200">
              Select a step (click it, or Tab to it and press Enter) to edit it. “+” adds a step
              after one; drag the end of a line onto another step to reconnect it.
            </p>
          )
        ) : null}
      </div>
      {editable && onChange ? (
        <AddStepDialog
          on={adding}
          definition={definition}
          transformers={transformers}
          onClose={() => setAdding(null)}
          onAdd={(id, transformerId) => {
            if (!adding) return null;
            try {
              onChange(addStepAfter(definition, adding.from, id, transformerId, adding));
            } catch (error) {
              if (error instanceof DefinitionEditError) return error.message;
              throw error;
            }
            setAdding(null);
            setSelected(id);
            return null;
          }}
        />
      ) : null}
    </div>
  );
}

function AddStepDialog({
  on,
  definition,
  transformers,
  onClose,
  onAdd,
}: {
  on: EdgeRef | null;
  definition: WorkflowDefinition;
  transformers: Transformer[] | undefined;
  onClose: () => void;
  /** Returns an error message, or null when added. */
  onAdd: (id: string, transformerId: string) => string | null;
}) {
  return (
    <Dialog
      open={on !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={
        on
          ? `Add a step ${on.kind === 'branch' ? `on branch ${on.index + 1} of` : 'after'} ${on.from}`
          : 'Add a step'
      }
      description="It runs after that step and leads where that step led."
    >
      {on ? (
        <AddStepForm
          definition={definition}
          transformers={transformers}
          onAdd={onAdd}
          onCancel={onClose}
        />
      ) : null}
    </Dialog>
  );
}

export function AddStepForm({
  definition,
  transformers,
  onAdd,
  onCancel,
}: {
  definition: WorkflowDefinition;
  transformers: Transformer[] | undefined;
  onAdd: (id: string, transformerId: string) => string | null;
  onCancel: () => void;
}) {
  const [id, setId] = useState(() => freeStepId(definition));
  const [transformerId, setTransformerId] = useState(() => transformers?.[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const valid = stepIdSchema.safeParse(id.trim());
    if (!valid.success) {
      setError(valid.error.issues[0]?.message ?? 'Not a valid step id');
      return;
    }
    setError(onAdd(id.trim(), transformerId));
  };
  return (
    // Not a <form>: the canvas sits inside the workflow's form, and forms do not nest.
    <div
      role="group"
      aria-label="Add a step"
      className="space-y-4"
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT') {
          event.preventDefault();
          submit();
        }
      }}
    >
      <Field label="New step id" error={error ?? undefined} required>
        {(control) => (
          <Input
            {...control}
            value={id}
            onChange={(event) => setId(event.target.value)}
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <Field label="New step transformer" required>
        {(control) => (
          <Select
            {...control}
            value={transformerId}
            onChange={(event) => setTransformerId(event.target.value)}
          >
            {(transformers ?? []).map((transformer) => (
              <option key={transformer.id} value={transformer.id}>
                {transformer.id}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={submit} disabled={!transformerId}>
          Add step
        </Button>
      </div>
    </div>
  );
}
