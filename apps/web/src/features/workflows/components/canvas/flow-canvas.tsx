import '@xyflow/react/dist/style.css';
import {
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { CircleAlert, Flag, Plus } from 'lucide-react';
import { useEffect, useMemo, type KeyboardEvent } from 'react';
import { cn } from '@/lib/utils';
import {
  definitionGraph,
  END_NODE_ID,
  layoutGraph,
  type EdgeRef,
  type GraphEdge,
  type PlacedErrors,
  type StepNodeData,
} from '../../utils/definition-graph';
import type { StepRunStatus } from '../../utils/job-path';
import type { WorkflowDefinition } from '@forkflow/domain/workflow-definition';

// The drawing shared by the editor (WorkflowCanvas) and the job page (JobCanvas): React
// Flow with dagre's layout. Nodes are not dragged (the layout places them) but are
// focusable; keys are handled by the caller through onNodeKey so every edit has a keyboard
// path. Loaded lazily (lazy-canvas.tsx), so React Flow is not in other pages' bundles.

/** A step's state in one job, shown on its node in words (not colour alone). */
export const stepRunStatusLabels: Record<StepRunStatus, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  running: 'Running',
  waiting: 'Waiting',
  not_run: 'Not run',
};

export const stepRunStatusClasses: Record<StepRunStatus, string> = {
  succeeded: 'border-emerald-500 bg-emerald-50',
  failed: 'border-red-500 bg-red-50',
  running: 'border-brand-500 bg-brand-50',
  waiting: 'border-amber-500 bg-amber-50',
  not_run: 'border-dashed border-slate-300 bg-slate-50 opacity-75',
};

const statusBadgeClasses: Record<StepRunStatus, string> = {
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  running: 'bg-brand-100 text-brand-800',
  waiting: 'bg-amber-100 text-amber-900',
  not_run: 'bg-slate-200 text-slate-700',
};

type StepData = StepNodeData & {
  errors: string[];
  status?: StepRunStatus;
  selected: boolean;
  onAddAfter?: (stepId: string) => void;
};
type EndData = { reached?: boolean; editable?: boolean };
type StepFlowNode = Node<StepData, 'step'>;
type EndFlowNode = Node<EndData, 'end'>;
type FlowNode = StepFlowNode | EndFlowNode;
type FlowEdge = Edge<{ ref: EdgeRef }>;

function StepNode({ data }: NodeProps<StepFlowNode>) {
  const hasErrors = data.errors.length > 0;
  return (
    <div
      data-status={data.status}
      className={cn(
        'relative flex h-full w-full flex-col gap-1 rounded-lg border-2 bg-white px-3 py-2 text-left text-xs shadow-xs',
        data.status ? stepRunStatusClasses[data.status] : 'border-slate-300',
        hasErrors && 'border-red-500',
        data.selected && 'ring-2 ring-brand-500 ring-offset-2',
      )}
    >
      {/* A line can end here (a drag or a reconnect) while editing, never start here. */}
      <Handle
        type="target"
        position={Position.Top}
        isConnectable={Boolean(data.onAddAfter)}
        isConnectableStart={false}
        className="!bg-slate-400"
      />
      <div className="flex items-center gap-1.5">
        {data.isStart ? (
          <span className="inline-flex items-center gap-0.5 rounded bg-indigo-100 px-1 text-[10px] font-medium text-indigo-800">
            <Flag className="size-3" aria-hidden />
            Start
          </span>
        ) : null}
        <span className="truncate font-mono text-sm font-semibold text-slate-900">
          {data.stepId}
        </span>
        {data.status ? (
          <span
            className={cn(
              'ml-auto shrink-0 rounded px-1 text-[10px] font-medium',
              statusBadgeClasses[data.status],
            )}
          >
            {stepRunStatusLabels[data.status]}
          </span>
        ) : null}
      </div>
      <span className="truncate font-mono text-slate-600">{data.transformerId}</span>
      {data.inputs.length > 0 ? (
        <ul aria-label={`Inputs of ${data.stepId}`} className="min-w-0 space-y-0.5 text-slate-500">
          {data.inputs.slice(0, 2).map((line) => (
            <li key={line} className="truncate font-mono text-[10px]">
              {line}
            </li>
          ))}
          {data.inputs.length > 2 ? (
            <li className="text-[10px]">{data.inputs.length - 2} more input lines</li>
          ) : null}
        </ul>
      ) : null}
      {hasErrors ? (
        <p
          className="flex items-start gap-1 truncate text-[10px] text-red-700"
          title={data.errors.join('\n')}
        >
          <CircleAlert className="size-3 shrink-0" aria-hidden />
          <span className="truncate">{data.errors[0]}</span>
        </p>
      ) : null}
      {data.onAddAfter ? (
        <button
          type="button"
          aria-label={`Add a step after ${data.stepId}`}
          title={`Add a step after ${data.stepId}`}
          onClick={(event) => {
            event.stopPropagation();
            data.onAddAfter?.(data.stepId);
          }}
          className="nodrag nopan absolute -bottom-3 left-1/2 z-10 flex size-6 -translate-x-1/2 items-center justify-center rounded-full bg-brand-600 text-white shadow hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          <Plus className="size-4" aria-hidden />
        </button>
      ) : null}
      <Handle
        type="source"
        position={Position.Bottom}
        isConnectable={Boolean(data.onAddAfter)}
        className="!bg-slate-400"
      />
    </div>
  );
}

function EndNode({ data }: NodeProps<EndFlowNode>) {
  return (
    <div
      className={cn(
        'flex h-full w-full items-center justify-center rounded-full border-2 bg-white text-xs font-medium text-slate-700',
        data.reached ? 'border-emerald-500' : 'border-slate-300',
      )}
    >
      <Handle
        type="target"
        position={Position.Top}
        isConnectable={Boolean(data.editable)}
        isConnectableStart={false}
        className="!bg-slate-400"
      />
      End
    </div>
  );
}

const nodeTypes = { step: StepNode, end: EndNode };

export type FlowCanvasProps = {
  definition: WorkflowDefinition;
  /** Validation errors placed on nodes and edges. */
  errors?: PlacedErrors;
  /** A job's step states (job page). */
  statuses?: ReadonlyMap<string, StepRunStatus>;
  /** Edge ids a job went along, drawn thick; the others faint. */
  path?: ReadonlySet<string>;
  /** Whether the job reached the end. */
  endReached?: boolean;
  selectedStepId?: string | null;
  /** Accessible name of the canvas region. */
  label: string;
  className?: string;
  /** Editing: "+" on each node, edge ends draggable onto another step or End. */
  onAddAfter?: (stepId: string) => void;
  onReconnect?: (ref: EdgeRef, to: string | null) => void;
  /** Dragging from a step's bottom handle to another step. */
  onConnect?: (from: string, to: string | null) => void;
  onSelectStep?: (stepId: string | null) => void;
  /** A key pressed on a focused step node (Enter, Delete…). */
  onNodeKey?: (stepId: string, event: KeyboardEvent<HTMLElement>) => void;
};

const edgeDescription = (edge: GraphEdge) => {
  const to = edge.target === END_NODE_ID ? 'the end' : edge.target;
  if (edge.ref.kind === 'branch')
    return `${edge.source} to ${to} when ${edge.when}${edge.label !== edge.when ? ` (${edge.label})` : ''}`;
  if (edge.ref.kind === 'default') return `${edge.source} to ${to} otherwise`;
  return `${edge.source} to ${to}`;
};

export function FlowCanvas(props: FlowCanvasProps) {
  return (
    <ReactFlowProvider>
      <FlowCanvasInner {...props} />
    </ReactFlowProvider>
  );
}

function FlowCanvasInner({
  definition,
  errors,
  statuses,
  path,
  endReached,
  selectedStepId,
  label,
  className,
  onAddAfter,
  onReconnect,
  onConnect,
  onSelectStep,
  onNodeKey,
}: FlowCanvasProps) {
  const layout = useMemo(() => layoutGraph(definitionGraph(definition)), [definition]);
  // A step added or removed moves the others: fit the whole graph again (not on every
  // keystroke in a panel field, which leaves the same steps).
  const { fitView } = useReactFlow();
  const stepKey = layout.nodes.map((node) => node.id).join('\n');
  useEffect(() => {
    void fitView({ padding: 0.15, maxZoom: 1 });
  }, [stepKey, fitView]);

  const nodes: FlowNode[] = useMemo(
    () =>
      layout.nodes.map((node): FlowNode => {
        const base = {
          id: node.id,
          position: node.position,
          width: node.width,
          height: node.height,
          draggable: false,
        };
        if (node.kind === 'end') {
          return {
            ...base,
            type: 'end',
            data: { reached: endReached, editable: Boolean(onReconnect) },
            selectable: false,
            focusable: false,
            ariaLabel: 'End of the workflow',
          };
        }
        const status = statuses?.get(node.id);
        const nodeErrors = errors?.nodes.get(node.id) ?? [];
        return {
          ...base,
          type: 'step',
          selected: node.id === selectedStepId,
          ariaLabel: [
            `Step ${node.id}`,
            node.data.isStart ? 'start' : null,
            `transformer ${node.data.transformerId}`,
            status ? stepRunStatusLabels[status] : null,
            nodeErrors.length > 0
              ? `${nodeErrors.length} problem${nodeErrors.length === 1 ? '' : 's'}`
              : null,
          ]
            .filter(Boolean)
            .join(', '),
          data: {
            ...node.data,
            errors: nodeErrors,
            ...(status ? { status } : {}),
            selected: node.id === selectedStepId,
            ...(onAddAfter ? { onAddAfter } : {}),
          },
        };
      }),
    [layout, statuses, errors, selectedStepId, endReached, onAddAfter, onReconnect],
  );

  const edges: FlowEdge[] = useMemo(
    () =>
      layout.edges.map((edge): FlowEdge => {
        const edgeErrors = errors?.edges.get(edge.id) ?? [];
        const taken = path?.has(edge.id);
        const faded = path !== undefined && !taken;
        const stroke = edgeErrors.length > 0 ? '#dc2626' : taken ? '#059669' : '#64748b';
        const text = edgeErrors.length > 0 ? `⚠ ${edge.label ?? ''}`.trim() : edge.label;
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          type: 'smoothstep',
          data: { ref: edge.ref },
          ...(text ? { label: text } : {}),
          labelStyle: { fontSize: 11, fill: edgeErrors.length > 0 ? '#b91c1c' : '#334155' },
          labelBgPadding: [4, 2] as [number, number],
          labelBgStyle: { fill: '#ffffff' },
          style: { stroke, strokeWidth: taken ? 3 : 1.5, opacity: faded ? 0.45 : 1 },
          markerEnd: { type: MarkerType.ArrowClosed, color: stroke },
          ariaLabel: [
            edgeDescription(edge),
            taken ? 'taken' : null,
            edgeErrors.length > 0 ? `problem: ${edgeErrors.join('; ')}` : null,
          ]
            .filter(Boolean)
            .join(', '),
        };
      }),
    [layout, errors, path],
  );

  const editable = Boolean(onReconnect);
  const toTarget = (id: string | null | undefined) => (id === END_NODE_ID ? null : (id ?? null));

  return (
    <div
      role="region"
      aria-label={label}
      className={cn(
        'h-[28rem] w-full overflow-hidden rounded-lg bg-slate-50 ring-1 ring-slate-200',
        className,
      )}
      onKeyDown={(event) => {
        // Keys on a node itself (not on a button inside it): the caller's keyboard edits.
        const target = event.target as HTMLElement;
        if (!target.classList.contains('react-flow__node')) return;
        const id = target.dataset.id;
        if (id && id !== END_NODE_ID) onNodeKey?.(id, event);
      }}
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={Boolean(onConnect)}
        edgesReconnectable={editable}
        elementsSelectable
        deleteKeyCode={null}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_event, node) => onSelectStep?.(node.id === END_NODE_ID ? null : node.id)}
        onPaneClick={() => onSelectStep?.(null)}
        onReconnect={
          onReconnect
            ? (old, connection: Connection) => {
                const ref = old.data?.ref;
                // Only the target end moves: the source is the step whose connection it is.
                if (ref && connection.source === old.source)
                  onReconnect(ref, toTarget(connection.target));
              }
            : undefined
        }
        onConnect={
          onConnect
            ? (connection) => onConnect(connection.source, toTarget(connection.target))
            : undefined
        }
      >
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
