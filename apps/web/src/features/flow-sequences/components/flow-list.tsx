import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import type { SequenceParameter } from '@forkflow/domain/flows/schemas';
import type { WorkflowForSequence } from '@forkflow/domain/flows/validate-sequence';
import { ListPlus, Plus } from 'lucide-react';
import { Fragment, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { LastOutputs, SequenceWorkflow } from '../api/queries';
import { fieldsOfFlow, type DraftFlow, type Problem } from '../utils/draft';
import { FlowCard, flowLabel } from './flow-card';
import type { EarlierFlow } from './mapping-picker';
import { WorkflowPicker } from './workflow-picker';

type Props = {
  flows: DraftFlow[];
  workflows: readonly SequenceWorkflow[];
  workflowsById: ReadonlyMap<string, WorkflowForSequence>;
  parameters: readonly SequenceParameter[];
  lastOutputs: LastOutputs;
  problemsUnder: (prefix: string) => Problem[];
  readOnly: boolean;
  onChangeFlow: (index: number, flow: DraftFlow) => void;
  onMove: (from: number, to: number) => void;
  onInsert: (index: number, workflow: SequenceWorkflow) => void;
  onRemove: (index: number) => void;
};

/**
 * The flows in order, made for a handful: every card open, a "+" between two cards and
 * "Add flow" at the end to insert one found by name, and reordering by drag (pointer or
 * keyboard on the handle) or by the Move up / Move down buttons.
 */
export function FlowList({
  flows,
  workflows,
  workflowsById,
  parameters,
  lastOutputs,
  problemsUnder,
  readOnly,
  onChangeFlow,
  onMove,
  onInsert,
  onRemove,
}: Props) {
  const [insertAt, setInsertAt] = useState<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const nameOf = (flow: DraftFlow | undefined) =>
    flow ? flowLabel(flow, workflowsById.get(flow.workflow_id)?.name) : '';
  const indexOf = (id: unknown) => flows.findIndex((flow) => flow.id === id);

  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up ${nameOf(flows[indexOf(active.id)])}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
    onDragOver: ({ active, over }) =>
      over
        ? `${nameOf(flows[indexOf(active.id)])} is over position ${indexOf(over.id) + 1} of ${flows.length}.`
        : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${nameOf(flows[indexOf(active.id)])} at position ${indexOf(over.id) + 1} of ${flows.length}.`
        : undefined,
    onDragCancel: ({ active }) =>
      `Cancelled. ${nameOf(flows[indexOf(active.id)])} stays where it was.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = indexOf(active.id);
    const to = indexOf(over.id);
    if (from >= 0 && to >= 0) onMove(from, to);
  };

  const keepFocus = (id: string, control: 'up' | 'down') =>
    // After a move React re-renders the list: keep focus on the button used, or its twin
    // when that one became disabled at the top or bottom.
    requestAnimationFrame(() => {
      const item = listRef.current?.querySelector<HTMLElement>(`[data-flow-id="${id}"]`);
      (
        item?.querySelector<HTMLButtonElement>(`[data-move="${control}"]:not(:disabled)`) ??
        item?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)')
      )?.focus();
    });

  const earlierFlowsOf = (index: number): EarlierFlow[] =>
    flows.slice(0, index).map((flow) => {
      const workflow = workflowsById.get(flow.workflow_id);
      return {
        id: flow.id,
        workflowName: workflow?.name ?? 'unknown workflow',
        fields: fieldsOfFlow(workflow, lastOutputs[flow.id]),
      };
    });

  const pickerTitle =
    insertAt === null
      ? ''
      : flows.length === 0
        ? 'Add the first flow'
        : insertAt >= flows.length
          ? `Add a flow after ${flows[flows.length - 1]?.id}`
          : insertAt === 0
            ? `Add a flow before ${flows[0]?.id}`
            : `Add a flow between ${flows[insertAt - 1]?.id} and ${flows[insertAt]?.id}`;

  return (
    <section aria-labelledby="flows-title" className="space-y-3">
      <div>
        <h2 id="flows-title" className="text-base font-semibold text-slate-900">
          Flows ({flows.length})
        </h2>
        <p className="text-sm text-slate-600">
          Run in this order, each a job of its workflow. A flow’s parameters take sequence
          parameters or the output of a flow above it.
        </p>
      </div>
      {flows.length === 0 ? (
        <div className="flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <ListPlus className="size-8 text-slate-400" aria-hidden />
          <p className="mt-2 text-sm font-medium text-slate-900">No flows yet</p>
          <p className="mt-1 text-sm text-slate-600">Add the workflows to run, in order.</p>
        </div>
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{
            announcements,
            screenReaderInstructions: {
              draggable:
                'To reorder, press Space or Enter to lift the flow, use the arrow keys to move it, and Space or Enter again to drop it. Escape cancels.',
            },
          }}
        >
          <SortableContext
            items={flows.map((flow) => flow.id)}
            strategy={verticalListSortingStrategy}
          >
            <ol ref={listRef} aria-label="Flows in order" className="space-y-2">
              {flows.map((flow, index) => (
                <Fragment key={flow.id}>
                  {index > 0 && !readOnly ? (
                    <li className="flex justify-center">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Add a flow between ${flows[index - 1]?.id} and ${flow.id}`}
                        onClick={() => setInsertAt(index)}
                        className="h-7 rounded-full text-slate-500"
                      >
                        <Plus className="size-4" aria-hidden />
                      </Button>
                    </li>
                  ) : null}
                  <FlowCard
                    flow={flow}
                    index={index}
                    total={flows.length}
                    workflow={workflowsById.get(flow.workflow_id)}
                    parameters={parameters}
                    earlierFlows={earlierFlowsOf(index)}
                    problemsAt={(suffix) =>
                      problemsUnder(suffix ? `flows.${index}.${suffix}` : `flows.${index}`)
                    }
                    hasProblems={problemsUnder(`flows.${index}`).length > 0}
                    readOnly={readOnly}
                    onChange={(next) => onChangeFlow(index, next)}
                    onMoveUp={() => {
                      onMove(index, index - 1);
                      keepFocus(flow.id, 'up');
                    }}
                    onMoveDown={() => {
                      onMove(index, index + 1);
                      keepFocus(flow.id, 'down');
                    }}
                    onRemove={() => onRemove(index)}
                  />
                </Fragment>
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}
      {readOnly ? null : (
        <Button
          variant="secondary"
          onClick={() => setInsertAt(flows.length)}
          className="w-full border-dashed sm:w-auto"
        >
          <Plus className="size-4" aria-hidden />
          Add flow
        </Button>
      )}
      <WorkflowPicker
        open={insertAt !== null}
        onOpenChange={(open) => (open ? undefined : setInsertAt(null))}
        title={pickerTitle}
        workflows={workflows}
        onPick={(workflow) => {
          if (insertAt !== null) onInsert(insertAt, workflow);
        }}
      />
    </section>
  );
}
