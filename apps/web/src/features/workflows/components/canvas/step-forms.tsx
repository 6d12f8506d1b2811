import {
  validateWorkflowDefinition,
  type WorkflowDefinition,
} from '@forkflow/domain/workflow-definition';
import { useMemo, useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import type { Transformer } from '../../api/queries';
import {
  addStepAfter,
  DefinitionEditError,
  placeErrors,
  removeStep,
  type EdgeRef,
  type PlacedErrors,
} from '../../utils/definition-graph';
import { AddStepForm } from './workflow-canvas';
import { StepPanel } from './step-panel';

// The "Form" view of the definition: each step's panel one under another (the same panel
// the canvas opens), for those who prefer forms to a drawing.

type Props = {
  definition: WorkflowDefinition;
  onChange: (definition: WorkflowDefinition) => void;
  transformers: Transformer[] | undefined;
};

const noErrors: PlacedErrors = { nodes: new Map(), edges: new Map(), other: [] };

export function StepForms({ definition, onChange, transformers }: Props) {
  const { toast } = useToast();
  const [adding, setAdding] = useState<EdgeRef | null>(null);
  const errors = useMemo(() => {
    const result = validateWorkflowDefinition(definition, {
      knownTransformerIds: transformers?.map((transformer) => transformer.id) ?? [],
    });
    if (result.ok) return noErrors;
    return placeErrors(
      transformers
        ? result.errors
        : result.errors.filter((error) => error.code !== 'unknown_transformer'),
    );
  }, [definition, transformers]);

  const remove = (stepId: string) => {
    try {
      const before = definition;
      onChange(removeStep(definition, stepId));
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
  };

  return (
    <div className="space-y-4">
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
      {Object.keys(definition.steps).map((stepId) => (
        <StepPanel
          key={stepId}
          definition={definition}
          stepId={stepId}
          transformers={transformers}
          errors={errors}
          onChange={onChange}
          onRenamed={() => undefined}
          onRemove={remove}
          onAddStepOn={setAdding}
        />
      ))}
      <Dialog
        open={adding !== null}
        onOpenChange={(open) => (open ? undefined : setAdding(null))}
        title={
          adding
            ? `Add a step ${adding.kind === 'branch' ? `on branch ${adding.index + 1} of` : 'after'} ${adding.from}`
            : 'Add a step'
        }
        description="It runs after that step and leads where that step led."
      >
        {adding ? (
          <AddStepForm
            definition={definition}
            transformers={transformers}
            onCancel={() => setAdding(null)}
            onAdd={(id, transformerId) => {
              try {
                onChange(addStepAfter(definition, adding.from, id, transformerId, adding));
              } catch (error) {
                if (error instanceof DefinitionEditError) return error.message;
                throw error;
              }
              setAdding(null);
              return null;
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}
