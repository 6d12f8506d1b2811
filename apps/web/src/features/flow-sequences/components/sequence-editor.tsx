import { arrayMove } from '@dnd-kit/sortable';
import {
  toWorkflowForSequence,
  type WorkflowForSequence,
} from '@forkflow/domain/flows/validate-sequence';
import { Save } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Textarea } from '@/components/ui/form-field';
import { useToast, useToastClearance } from '@/components/ui/toast';
import { FunctionError } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import type {
  FlowSequence,
  LastOutputs,
  SequenceEnvironment,
  SequenceProject,
  SequenceWorkflow,
} from '../api/queries';
import { useSaveFlowSequence } from '../api/save-flow-sequence';
import {
  draftProblems,
  newFlowId,
  toBody,
  toDraft,
  type DraftFlow,
  type Problem,
  type SequenceDraft,
} from '../utils/draft';
import { FlowList } from './flow-list';
import { ParametersEditor } from './parameters-editor';

type Props = {
  sequence: FlowSequence;
  project: SequenceProject;
  environment: SequenceEnvironment | null;
  workflows: readonly SequenceWorkflow[];
  lastOutputs: LastOutputs;
  readOnly: boolean;
  onDirtyChange?: (dirty: boolean) => void;
  /** Called after a save, before the page shows the saved sequence. */
  onSaved?: (sequence: FlowSequence) => void;
  /** Refetch the sequence after a 409 (the page remounts the editor with it). */
  onReloadLatest: () => void;
  /** Buttons beside Save (Run, Debug run), told whether there are unsaved changes. */
  actions?: (state: { dirty: boolean }) => ReactNode;
};

/** "flow2 · user_id", "Parameter api_key", "Name": where a problem is, for the summary. */
function describeKey(key: string, draft: SequenceDraft): string {
  const parts = key.split('.');
  if (parts[0] === 'flows' && parts[1] !== undefined) {
    const flow = draft.flows[Number(parts[1])];
    const id = flow?.id ?? `flow ${Number(parts[1]) + 1}`;
    if (parts[2] === 'mappings' && parts[3]) return `${id} · ${parts[3]}`;
    if (parts[2] === 'assertions' && parts[3]) return `${id} · assertion ${Number(parts[3]) + 1}`;
    return id;
  }
  if (parts[0] === 'parameters' && parts[1] !== undefined) {
    const name = draft.parameters[Number(parts[1])]?.name;
    return `Parameter ${name || Number(parts[1]) + 1}`;
  }
  if (parts[0] === 'name') return 'Name';
  if (parts[0] === 'description') return 'Description';
  return 'Sequence';
}

/**
 * The flow sequence editor: name and description, parameters, the flows with their
 * mappings and assertions. The problems the server would refuse are found while the user
 * edits (the same domain rules), shown where they are and listed above Save.
 */
export function SequenceEditor({
  sequence,
  project,
  environment,
  workflows,
  lastOutputs,
  readOnly,
  onDirtyChange,
  onSaved,
  onReloadLatest,
  actions,
}: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const toastClearance = useToastClearance();
  const [draft, setDraft] = useState<SequenceDraft>(() => toDraft(sequence));
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const [stale, setStale] = useState(false);
  const [showSummary, setShowSummary] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  // Every id this sequence has used, so a new flow never reuses a removed one's.
  const usedIds = useRef(new Set(sequence.flows.map((flow) => flow.id)));

  const ids = {
    projectId: project.id,
    sequenceId: sequence.id,
    expectedUpdatedAt: sequence.updated_at,
  };
  const saved = useMemo(() => JSON.stringify(toBody(toDraft(sequence), ids)), [sequence]); // eslint-disable-line react-hooks/exhaustive-deps -- ids derive from sequence
  const dirty = JSON.stringify(toBody(draft, ids)) !== saved;
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  const workflowsById = useMemo(
    () =>
      new Map<string, WorkflowForSequence>(
        workflows.map((workflow) => [workflow.id, toWorkflowForSequence(workflow)]),
      ),
    [workflows],
  );
  const liveProblems = useMemo(
    () => draftProblems(draft, { workflows: workflowsById, projectVariables: project.variables }),
    [draft, workflowsById, project.variables],
  );
  const problems = useMemo(() => {
    const seen = new Set(liveProblems.map((p) => `${p.key}|${p.message}`));
    return [...liveProblems, ...serverProblems.filter((p) => !seen.has(`${p.key}|${p.message}`))];
  }, [liveProblems, serverProblems]);
  const problemsUnder = (prefix: string) =>
    problems.filter((problem) => problem.key === prefix || problem.key.startsWith(`${prefix}.`));

  const edit = (change: (current: SequenceDraft) => SequenceDraft) => {
    // What the server said was about the draft it was sent; after an edit the live check speaks.
    setServerProblems([]);
    setDraft(change);
  };

  const save = useSaveFlowSequence({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => {
        toast({ title: 'Sequence saved', description: result.name });
        onSaved?.(result);
      },
      onError: (error) => {
        if (error instanceof FunctionError && error.status === 409 && error.code === 'stale') {
          setStale(true);
          return;
        }
        if (error instanceof FunctionError && error.details.length > 0) {
          setServerProblems(
            error.details.map((detail) => ({
              key: detail.path,
              code: detail.code,
              message: detail.message,
            })),
          );
          setShowSummary(true);
          requestAnimationFrame(() => summaryRef.current?.focus());
          return;
        }
        toast({
          tone: 'error',
          title: "Couldn't save the sequence",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  const onSave = () => {
    setShowSummary(true);
    if (liveProblems.length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    save.mutate({ organisationId: organisation.id, body: toBody(draft, ids) });
  };

  const insertFlow = (index: number, workflow: SequenceWorkflow) => {
    // The id is chosen here, not in the state updater (which React may run twice).
    const id = newFlowId(
      draft.flows.map((flow) => flow.id),
      index,
      usedIds.current,
    );
    usedIds.current.add(id);
    const flow: DraftFlow = { id, workflow_id: workflow.id, mappings: {}, assertions: [] };
    edit((current) => ({
      ...current,
      flows: [...current.flows.slice(0, index), flow, ...current.flows.slice(index)],
    }));
  };

  const removeFlow = (index: number) => {
    const removed = draft.flows[index];
    if (!removed) return;
    edit((current) => ({
      ...current,
      flows: current.flows.filter((flow) => flow.id !== removed.id),
    }));
    toast({
      title: `Removed ${removed.id}`,
      description: 'Mappings to its output are now problems to fix.',
      duration: 8000,
      action: {
        label: 'Undo',
        onClick: () =>
          edit((current) =>
            current.flows.some((flow) => flow.id === removed.id)
              ? current
              : {
                  ...current,
                  flows: [...current.flows.slice(0, index), removed, ...current.flows.slice(index)],
                },
          ),
      },
    });
  };

  const summaryProblems = showSummary || serverProblems.length > 0 ? problems : [];

  return (
    <div className="space-y-8">
      <section aria-label="Sequence details" className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1.5">
          <label htmlFor="sequence-name" className="block text-sm font-medium text-slate-800">
            Name
          </label>
          <Input
            id="sequence-name"
            value={draft.name}
            disabled={readOnly}
            aria-invalid={problemsUnder('name').length > 0}
            onChange={(event) => edit((current) => ({ ...current, name: event.target.value }))}
          />
          {problemsUnder('name').map((problem) => (
            <p key={problem.message} className="text-sm text-red-700">
              {problem.message}
            </p>
          ))}
        </div>
        <div className="space-y-1.5 sm:row-span-2">
          <label
            htmlFor="sequence-description"
            className="block text-sm font-medium text-slate-800"
          >
            Description
          </label>
          <Textarea
            id="sequence-description"
            value={draft.description}
            disabled={readOnly}
            onChange={(event) =>
              edit((current) => ({ ...current, description: event.target.value }))
            }
          />
        </div>
      </section>

      <ParametersEditor
        parameters={draft.parameters}
        projectVariables={project.variables}
        environment={environment}
        problemsAt={problemsUnder}
        readOnly={readOnly}
        onChange={(parameters) => edit((current) => ({ ...current, parameters }))}
      />

      <FlowList
        flows={draft.flows}
        workflows={workflows}
        workflowsById={workflowsById}
        parameters={draft.parameters}
        lastOutputs={lastOutputs}
        problemsUnder={problemsUnder}
        readOnly={readOnly}
        onChangeFlow={(index, flow) =>
          edit((current) => ({
            ...current,
            flows: current.flows.map((item, i) => (i === index ? flow : item)),
          }))
        }
        onMove={(from, to) =>
          edit((current) => ({ ...current, flows: arrayMove(current.flows, from, to) }))
        }
        onInsert={insertFlow}
        onRemove={removeFlow}
      />

      <div
        ref={toastClearance}
        className="sticky bottom-0 z-10 -mx-4 space-y-3 border-t border-slate-200 bg-slate-50/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:border sm:px-5"
      >
        {stale ? (
          <div role="alert" className="flex flex-wrap items-center gap-3 text-sm text-amber-900">
            <p className="min-w-0 flex-1">
              Someone saved this sequence after you opened it. Reload to see their version (your
              changes here are discarded).
            </p>
            <Button variant="secondary" size="sm" onClick={onReloadLatest}>
              Reload the sequence
            </Button>
          </div>
        ) : null}
        {summaryProblems.length > 0 ? (
          <div
            ref={summaryRef}
            tabIndex={-1}
            role="alert"
            aria-label="Problems to fix before saving"
            className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
          >
            <p className="font-medium">
              {summaryProblems.length === 1
                ? '1 problem to fix before saving'
                : `${summaryProblems.length} problems to fix before saving`}
            </p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {summaryProblems.map((problem) => (
                <li key={`${problem.key}|${problem.message}`}>
                  <span className="font-medium">{describeKey(problem.key, draft)}:</span>{' '}
                  {problem.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          {readOnly ? (
            <p className="text-sm text-slate-600">Only owners and admins edit sequences.</p>
          ) : (
            <Button onClick={onSave} isLoading={save.isPending} disabled={!dirty && !stale}>
              {save.isPending ? null : <Save className="size-4" aria-hidden />}
              Save sequence
            </Button>
          )}
          {!readOnly ? (
            <span className="text-sm text-slate-600" aria-live="polite">
              {dirty
                ? liveProblems.length > 0
                  ? `Unsaved changes · ${liveProblems.length} ${liveProblems.length === 1 ? 'problem' : 'problems'}`
                  : 'Unsaved changes'
                : 'All changes saved'}
            </span>
          ) : null}
          <div className="ml-auto flex flex-wrap gap-2">{actions?.({ dirty })}</div>
        </div>
      </div>
    </div>
  );
}
