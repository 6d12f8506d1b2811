import { validateInputMap } from '@forkflow/domain/automated-steps';
import type {
  SequenceTemplateFormValues,
  SequenceTemplateInput,
} from '@forkflow/domain/sequence-template';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useController, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { SearchPicker } from '@/components/ui/search-picker';
import { Skeleton } from '@/components/ui/skeleton';
import { useCurrentOrganisation } from '@/lib/organisation';
import { automatedStepQueries, searchWorkflows } from '../api/queries';
import { InputMapEditor, type EarlierAutomatedStep, type InputMap } from './input-map-editor';

type Form = SequenceTemplateFormValues;

/**
 * The builder's fields for an automated step (the sequence-templates feature shows them in
 * the step's editor through its `automatedStepFields` option): which workflow does the step,
 * and where each of its inputs comes from.
 */
export function AutomatedStepFields({ index }: { index: number }) {
  const organisation = useCurrentOrganisation();
  const form = useFormContext<Form, unknown, SequenceTemplateInput>();
  const { errors } = useFormState({ control: form.control, name: `steps.${index}.workflow_id` });
  const stepErrors = Array.isArray(errors.steps) ? errors.steps[index] : undefined;
  const workflowField = useController({
    control: form.control,
    name: `steps.${index}.workflow_id`,
  });
  const mapField = useController({ control: form.control, name: `steps.${index}.input_map` });
  const steps = useWatch({ control: form.control, name: 'steps' });

  const workflowId = workflowField.field.value ?? '';
  const workflow = useQuery({
    ...automatedStepQueries.workflow(organisation.id, workflowId),
    enabled: Boolean(workflowId),
  });
  const projects = useQuery(automatedStepQueries.projects(organisation.id));

  // Outputs a step may read: automated steps before this one (numbered as saved, 1-based).
  const earlierSteps = useMemo<EarlierAutomatedStep[]>(
    () =>
      (steps ?? [])
        .slice(0, index)
        .flatMap((step, position) =>
          step?.type === 'automated' ? [{ step_order: position + 1, name: step.name ?? '' }] : [],
        ),
    [steps, index],
  );
  const mapValue = mapField.field.value;
  const map = useMemo(() => (mapValue ?? {}) as InputMap, [mapValue]);
  const inputs = workflow.data?.inputs;
  const problems = useMemo(
    () =>
      inputs
        ? validateInputMap(map, {
            workflowInputs: inputs,
            earlierAutomatedSteps: earlierSteps.map((step) => step.step_order),
            stepOrder: index + 1,
            projects: projects.data ?? [],
          })
        : [],
    [map, inputs, earlierSteps, index, projects.data],
  );

  const search = useCallback(
    (q: string, limit: number, signal: AbortSignal) =>
      searchWorkflows(organisation.id, q, limit, signal),
    [organisation.id],
  );

  const workflowError = stepErrors?.workflow_id?.message;
  const archived = workflow.data?.status === 'archived';

  return (
    <div className="space-y-4">
      <div>
        <SearchPicker
          label="Workflow"
          showLabel
          value={workflowId}
          selectedLabel={
            workflow.data?.name ?? (workflowId && workflow.isPending ? 'Loading…' : undefined)
          }
          placeholder="Type a workflow’s name"
          allLabel={undefined}
          search={search}
          queryKey={automatedStepQueries.workflowSearchKey(organisation.id)}
          onChange={(value) => {
            workflowField.field.onChange(value);
            // Inputs belong to a workflow: another workflow starts with none mapped.
            mapField.field.onChange({});
          }}
          className="max-w-md"
        />
        {workflowError ? (
          <p role="alert" className="mt-1.5 text-sm text-red-700">
            {workflowError}
          </p>
        ) : (
          <p className="mt-1.5 text-xs text-slate-500">
            When the step comes due, one job of this workflow runs as the task’s rep; its end
            completes the task.
          </p>
        )}
        {archived ? (
          <p role="alert" className="mt-1.5 text-sm text-amber-800">
            This workflow is archived: the step will need attention when it comes due. Pick an
            active one.
          </p>
        ) : null}
        {workflowId && workflow.data === null ? (
          <p role="alert" className="mt-1.5 text-sm text-red-700">
            This workflow no longer exists. Pick another one.
          </p>
        ) : null}
      </div>

      {workflowId && workflow.data ? (
        <fieldset>
          <legend className="block text-sm font-medium text-slate-800">Inputs</legend>
          <p className="mt-0.5 mb-2 text-xs text-slate-500">
            Where each of {workflow.data.name}’s inputs comes from when the step runs.
          </p>
          <InputMapEditor
            inputs={workflow.data.inputs}
            value={map}
            onChange={(next) => mapField.field.onChange(next)}
            earlierSteps={earlierSteps}
            projects={projects.data ?? []}
            problems={problems}
          />
        </fieldset>
      ) : workflowId && workflow.isPending ? (
        <Skeleton className="h-24" />
      ) : null}
    </div>
  );
}
