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
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { delayUnits } from '@forkflow/domain/business-calendar';
import {
  delayUnitLabels,
  emptySequenceStep,
  formatDelay,
  taskPriorities,
  taskPriorityLabels,
  taskTypeLabels,
  taskTypes,
  type SequenceStepFormValues,
  type SequenceTemplateFormValues,
  type SequenceTemplateInput,
} from '@forkflow/domain/sequence-template';
import {
  AlertCircle,
  ArrowDown,
  ArrowUp,
  ChevronDown,
  GripVertical,
  ListPlus,
  Plus,
  Trash2,
} from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  useFieldArray,
  useFormContext,
  useFormState,
  useWatch,
  type FieldArrayWithId,
} from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, Input, Select, Textarea } from '@/components/ui/form-field';
import { cn } from '@/lib/utils';
import type { MemberOption, MessageTemplateOption, TaskTemplateOption } from '../types';
import type { KnownVariable } from '@forkflow/domain/message-template';
import { VariablePicker } from '@/components/variable-picker';
import { insertAtCursor, placeCaret } from '@/lib/insert-at-cursor';

type Form = SequenceTemplateFormValues;
type StepField = FieldArrayWithId<Form, 'steps', 'key'>;

export type StepOptions = {
  taskTemplates: TaskTemplateOption[];
  messageTemplates: MessageTemplateOption[];
  members: MemberOption[];
};

type Props = StepOptions & {
  /** Saved steps start folded; a new template's first step starts open. */
  collapseInitially: boolean;
};

const stepLabel = (index: number, name: string | undefined) =>
  `step ${index + 1}${name?.trim() ? `: ${name.trim()}` : ''}`;

/**
 * The sequence's steps in order. Reorder by dragging the handle (mouse or touch), by
 * keyboard on the handle (Space to lift, arrows to move, Space to drop), or with the
 * Move up / Move down buttons.
 */
export function SequenceSteps({ collapseInitially, ...options }: Props) {
  const form = useFormContext<Form, unknown, SequenceTemplateInput>();
  const { fields, append, remove, move } = useFieldArray({
    control: form.control,
    name: 'steps',
    keyName: 'key',
  });
  const { errors, submitCount } = useFormState({ control: form.control, name: 'steps' });
  const steps = useWatch({ control: form.control, name: 'steps' });
  const listRef = useRef<HTMLOListElement>(null);
  const stepErrors = Array.isArray(errors.steps) ? errors.steps : [];

  // Folded steps, by field key. A step added in the builder is open (not in the set).
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(
    () => new Set(collapseInitially ? fields.map((field) => field.key) : []),
  );
  // A submit that found problems opens the steps that have them (adjusted during render).
  const [seenSubmit, setSeenSubmit] = useState(submitCount);
  if (seenSubmit !== submitCount) {
    setSeenSubmit(submitCount);
    const withErrors = fields.filter((_, index) => stepErrors[index]).map((field) => field.key);
    if (withErrors.some((key) => collapsed.has(key))) {
      setCollapsed(new Set([...collapsed].filter((key) => !withErrors.includes(key))));
    }
  }
  // …and once they are open, focus the first field with a problem.
  useEffect(() => {
    if (submitCount === 0) return;
    const index = stepErrors.findIndex(Boolean);
    const first = stepErrors[index];
    if (!first) return;
    const key = (Object.keys(first) as Array<keyof SequenceStepFormValues>).find(
      (name) => name !== 'id' && first[name],
    );
    if (key) requestAnimationFrame(() => form.setFocus(`steps.${index}.${key}`));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per submit
  }, [submitCount]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const indexOfKey = (key: unknown) => fields.findIndex((field) => field.key === key);
  const nameAt = (index: number) => steps?.[index]?.name;

  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      const index = indexOfKey(active.id);
      return `Picked up ${stepLabel(index, nameAt(index))}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`;
    },
    onDragOver: ({ active, over }) =>
      over
        ? `${stepLabel(indexOfKey(active.id), nameAt(indexOfKey(active.id)))} is over position ${indexOfKey(over.id) + 1} of ${fields.length}.`
        : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${stepLabel(indexOfKey(active.id), nameAt(indexOfKey(active.id)))} at position ${indexOfKey(over.id) + 1} of ${fields.length}.`
        : undefined,
    onDragCancel: ({ active }) =>
      `Cancelled. ${stepLabel(indexOfKey(active.id), nameAt(indexOfKey(active.id)))} stays where it was.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = indexOfKey(active.id);
    const to = indexOfKey(over.id);
    if (from >= 0 && to >= 0) move(from, to);
  };

  const focusButton = (key: string, label: 'up' | 'down' | 'handle') => {
    // After a move React re-renders the list; keep focus on the control that was used,
    // or on its twin when that one became disabled at the top or bottom.
    requestAnimationFrame(() => {
      const item = listRef.current?.querySelector<HTMLElement>(`[data-step-key="${key}"]`);
      const button =
        item?.querySelector<HTMLButtonElement>(`[data-move="${label}"]:not(:disabled)`) ??
        item?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)');
      button?.focus();
    });
  };

  // The new step renders open, so react-hook-form can focus its name field.
  const addStep = () =>
    append({ ...emptySequenceStep }, { focusName: `steps.${fields.length}.name` });

  const listError = errors.steps?.root?.message ?? errors.steps?.message;

  return (
    <section aria-labelledby="steps-title" className="space-y-3">
      <div className="flex items-end justify-between gap-3">
        <div>
          <h2 id="steps-title" className="text-base font-semibold text-slate-900">
            Steps
          </h2>
          <p className="text-sm text-slate-600">
            Each step becomes a task. Its delay counts from when the previous step is done.
          </p>
        </div>
      </div>

      {fields.length === 0 ? (
        <div className="flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <ListPlus className="size-8 text-slate-400" aria-hidden />
          <p className="mt-2 text-sm font-medium text-slate-900">No steps yet</p>
          <p className="mt-1 text-sm text-slate-600">A sequence needs at least one step.</p>
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
                'To reorder, press Space or Enter to lift the step, use the arrow keys to move it, and Space or Enter again to drop it. Escape cancels.',
            },
          }}
        >
          <SortableContext
            items={fields.map((field) => field.key)}
            strategy={verticalListSortingStrategy}
          >
            <ol ref={listRef} aria-label="Steps in order" className="space-y-3">
              {fields.map((field, index) => (
                <SortableStep
                  key={field.key}
                  field={field}
                  index={index}
                  total={fields.length}
                  name={steps?.[index]?.name}
                  step={steps?.[index]}
                  hasError={Boolean(stepErrors[index])}
                  expanded={!collapsed.has(field.key)}
                  onToggle={() =>
                    setCollapsed((current) => {
                      const next = new Set(current);
                      if (next.has(field.key)) next.delete(field.key);
                      else next.add(field.key);
                      return next;
                    })
                  }
                  onMoveUp={() => {
                    move(index, index - 1);
                    focusButton(field.key, 'up');
                  }}
                  onMoveDown={() => {
                    move(index, index + 1);
                    focusButton(field.key, 'down');
                  }}
                  onRemove={() => remove(index)}
                >
                  <StepEditor index={index} {...options} />
                </SortableStep>
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}

      {listError ? (
        <p role="alert" className="text-sm text-red-700">
          {listError}
        </p>
      ) : null}

      <Button variant="secondary" onClick={addStep} className="w-full border-dashed sm:w-auto">
        <Plus className="size-4" aria-hidden />
        Add step
      </Button>
    </section>
  );
}

function SortableStep({
  field,
  index,
  total,
  name,
  step,
  hasError,
  expanded,
  onToggle,
  onMoveUp,
  onMoveDown,
  onRemove,
  children,
}: {
  field: StepField;
  index: number;
  total: number;
  name: string | undefined;
  step: SequenceStepFormValues | undefined;
  hasError: boolean;
  expanded: boolean;
  onToggle: () => void;
  onMoveUp: () => void;
  onMoveDown: () => void;
  onRemove: () => void;
  children: ReactNode;
}) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: field.key });
  const label = stepLabel(index, name);
  const editorId = `step-editor-${field.key}`;
  const delay =
    step && Number.isSafeInteger(step.delay_value) && step.delay_value >= 0
      ? formatDelay({ value: step.delay_value, unit: step.delay_unit })
      : 'delay to fix';
  const summary = step
    ? [
        taskTypeLabels[step.type],
        index === 0
          ? delay === 'no delay'
            ? 'when the sequence starts'
            : `${delay} after the start`
          : delay === 'no delay'
            ? 'right after the previous step'
            : `${delay} after the previous step`,
      ].join(' · ')
    : '';

  return (
    <li
      ref={setNodeRef}
      data-step-key={field.key}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(
        'relative rounded-xl bg-white shadow-xs ring-1 ring-slate-200',
        isDragging && 'z-10 shadow-lg ring-2 ring-brand-500',
        hasError && !isDragging && 'ring-red-300',
      )}
    >
      <div className="flex items-center gap-1 py-2 pr-2 pl-1 sm:gap-2 sm:pl-2">
        <button
          type="button"
          ref={setActivatorNodeRef}
          data-move="handle"
          {...attributes}
          {...listeners}
          aria-label={`Drag to reorder ${label}`}
          className="flex size-9 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600 active:cursor-grabbing"
        >
          <GripVertical className="size-5" aria-hidden />
        </button>
        <span
          className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700 tabular-nums"
          aria-hidden
        >
          {index + 1}
        </span>
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={expanded}
          aria-controls={editorId}
          className="min-w-0 flex-1 rounded-md px-1.5 py-1 text-left focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <span className="sr-only">{expanded ? 'Collapse' : 'Edit'} </span>
          <span className="block truncate text-sm font-medium text-slate-900">
            <span className="sr-only">Step {index + 1}: </span>
            {name?.trim() || <span className="text-slate-400">Untitled step</span>}
          </span>
          <span className="block truncate text-xs text-slate-500">{summary}</span>
        </button>
        {hasError ? (
          <span className="flex items-center gap-1 text-xs font-medium text-red-700">
            <AlertCircle className="size-4" aria-hidden />
            <span className="max-sm:sr-only">Needs attention</span>
          </span>
        ) : null}
        <div className="flex shrink-0 items-center">
          <Button
            variant="ghost"
            size="icon"
            data-move="up"
            aria-label={`Move ${label} up`}
            disabled={index === 0}
            onClick={onMoveUp}
            className="max-sm:size-8"
          >
            <ArrowUp className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            data-move="down"
            aria-label={`Move ${label} down`}
            disabled={index === total - 1}
            onClick={onMoveDown}
            className="max-sm:size-8"
          >
            <ArrowDown className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove ${label}`}
            onClick={onRemove}
            className="hover:bg-red-50 hover:text-red-700 max-sm:size-8"
          >
            <Trash2 className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-hidden
            tabIndex={-1}
            onClick={onToggle}
            className="max-sm:hidden"
          >
            <ChevronDown
              className={cn('size-4 transition-transform', expanded && 'rotate-180')}
              aria-hidden
            />
          </Button>
        </div>
      </div>
      {expanded ? (
        <div
          id={editorId}
          role="group"
          aria-label={`Step ${index + 1}`}
          className="border-t border-slate-100 px-4 py-4 sm:px-5"
        >
          {children}
        </div>
      ) : null}
    </li>
  );
}

function StepEditor({
  index,
  taskTemplates,
  messageTemplates,
  members,
}: StepOptions & { index: number }) {
  const form = useFormContext<Form, unknown, SequenceTemplateInput>();
  const { errors } = useFormState({ control: form.control, name: `steps.${index}` });
  const stepErrors = Array.isArray(errors.steps) ? errors.steps[index] : undefined;
  const [messageSource, taskTemplateId, messageTemplateId, assignee] = useWatch({
    control: form.control,
    name: [
      `steps.${index}.message_source`,
      `steps.${index}.task_template_id`,
      `steps.${index}.message_template_id`,
      `steps.${index}.assigned_to_override`,
    ],
  });
  const path = <K extends keyof SequenceStepFormValues>(key: K) => `steps.${index}.${key}` as const;

  const taskTemplateField = form.register(path('task_template_id'));
  const { ref: customMessageFieldRef, ...customMessageField } = form.register(
    path('custom_message'),
  );
  const customMessageRef = useRef<HTMLTextAreaElement | null>(null);
  const insertVariable = (variable: KnownVariable) => {
    const textarea = customMessageRef.current;
    const { value, caret } = insertAtCursor(
      textarea,
      form.getValues(path('custom_message')) ?? '',
      `{${variable}}`,
    );
    form.setValue(path('custom_message'), value, {
      shouldDirty: true,
      shouldValidate: form.formState.isSubmitted,
    });
    placeCaret(textarea, caret);
  };
  const applyTaskTemplate = (id: string) => {
    const template = taskTemplates.find((item) => item.id === id);
    if (!template) return;
    const options = { shouldDirty: true, shouldValidate: form.formState.isSubmitted };
    if (!form.getValues(path('name'))?.trim()) form.setValue(path('name'), template.name, options);
    form.setValue(path('type'), template.type, options);
    form.setValue(path('priority'), template.priority, options);
    if (template.message_template_id) {
      form.setValue(path('message_source'), 'template', options);
      form.setValue(path('message_template_id'), template.message_template_id, options);
    } else if (template.default_message) {
      form.setValue(path('message_source'), 'custom', options);
      form.setValue(path('custom_message'), template.default_message, options);
    }
  };

  // Inactive templates are offered only when this step already uses them.
  const taskTemplateChoices = taskTemplates.filter(
    (template) => template.is_active || template.id === taskTemplateId,
  );
  const messageTemplateChoices = messageTemplates.filter(
    (template) => template.is_active || template.id === messageTemplateId,
  );
  const assigneeIsKnown = !assignee || members.some((member) => member.id === assignee);

  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-6">
      <Field label="Step name" error={stepErrors?.name?.message} required className="sm:col-span-6">
        {(control) => (
          <Input
            {...control}
            {...form.register(path('name'))}
            placeholder="e.g. Intro call"
            autoComplete="off"
          />
        )}
      </Field>

      <Field label="Type" error={stepErrors?.type?.message} className="sm:col-span-2">
        {(control) => (
          <Select {...control} {...form.register(path('type'))}>
            {taskTypes.map((type) => (
              <option key={type} value={type}>
                {taskTypeLabels[type]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Priority" error={stepErrors?.priority?.message} className="sm:col-span-2">
        {(control) => (
          <Select {...control} {...form.register(path('priority'))}>
            {taskPriorities.map((priority) => (
              <option key={priority} value={priority}>
                {taskPriorityLabels[priority]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        label="Task template"
        error={stepErrors?.task_template_id?.message}
        hint={taskTemplates.length ? undefined : 'No task templates yet'}
        className="sm:col-span-2"
      >
        {(control) => (
          <Select
            {...control}
            {...taskTemplateField}
            onChange={(event) => {
              void taskTemplateField.onChange(event);
              applyTaskTemplate(event.target.value);
            }}
          >
            <option value="">None</option>
            {taskTemplateChoices.map((template) => (
              <option key={template.id} value={template.id}>
                {template.name}
                {template.is_active ? '' : ' (inactive)'}
              </option>
            ))}
          </Select>
        )}
      </Field>

      <div className="sm:col-span-3">
        <fieldset>
          <legend className="block text-sm font-medium text-slate-800">Delay</legend>
          <div className="mt-1.5 flex gap-2">
            <Field
              label={`Delay of step ${index + 1}`}
              error={undefined}
              className="w-24 shrink-0 [&>label]:sr-only"
            >
              {(control) => (
                <Input
                  {...control}
                  aria-invalid={Boolean(stepErrors?.delay_value)}
                  aria-describedby={
                    stepErrors?.delay_value ? `step-${index}-delay-error` : undefined
                  }
                  {...form.register(path('delay_value'), { valueAsNumber: true })}
                  type="number"
                  min={0}
                  step={1}
                  inputMode="numeric"
                />
              )}
            </Field>
            <Field
              label={`Delay unit of step ${index + 1}`}
              className="min-w-0 flex-1 [&>label]:sr-only"
            >
              {(control) => (
                <Select {...control} {...form.register(path('delay_unit'))}>
                  {delayUnits.map((unit) => (
                    <option key={unit} value={unit}>
                      {delayUnitLabels[unit].other}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          {stepErrors?.delay_value ? (
            <p id={`step-${index}-delay-error`} className="mt-1.5 text-sm text-red-700">
              {stepErrors.delay_value.message}
            </p>
          ) : (
            <p className="mt-1.5 text-xs text-slate-500">
              {index === 0
                ? 'After the sequence starts, in working time.'
                : 'After the previous step is done, in working time.'}
            </p>
          )}
        </fieldset>
      </div>

      <Field
        label="Assignee"
        error={stepErrors?.assigned_to_override?.message}
        hint="Who gets this task. By default, whoever the sequence is assigned to."
        className="sm:col-span-3"
      >
        {(control) => (
          <Select {...control} {...form.register(path('assigned_to_override'))}>
            <option value="">Sequence’s assignee (default)</option>
            {members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
            {assigneeIsKnown ? null : <option value={assignee ?? ''}>Former member</option>}
          </Select>
        )}
      </Field>

      <fieldset className="sm:col-span-6">
        <legend className="block text-sm font-medium text-slate-800">Message</legend>
        <div className="mt-1.5 inline-flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
          {(
            [
              ['none', 'No message'],
              ['template', 'Message template'],
              ['custom', 'Custom message'],
            ] as const
          ).map(([value, label]) => (
            <label
              key={value}
              className={cn(
                'cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-focus-visible:outline-2 has-focus-visible:outline-brand-600',
                messageSource === value
                  ? 'bg-white text-slate-900 shadow-xs'
                  : 'text-slate-600 hover:text-slate-900',
              )}
            >
              <input
                type="radio"
                value={value}
                className="sr-only"
                {...form.register(path('message_source'))}
              />
              {label}
            </label>
          ))}
        </div>
        {messageSource === 'template' ? (
          <Field
            label="Message template"
            error={stepErrors?.message_template_id?.message}
            hint={
              messageTemplates.length
                ? undefined
                : 'No message templates yet: create one under Templates.'
            }
            className="mt-3"
          >
            {(control) => (
              <Select {...control} {...form.register(path('message_template_id'))}>
                <option value="">Choose a message template…</option>
                {messageTemplateChoices.map((template) => (
                  <option key={template.id} value={template.id}>
                    {template.name}
                    {template.is_active ? '' : ' (inactive)'}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}
        {messageSource === 'custom' ? (
          <Field
            label="Custom message"
            error={stepErrors?.custom_message?.message}
            hint="Placeholders like {restaurant_name} or {contact_first_name|there} are filled in for each restaurant."
            className="mt-3"
          >
            {(control) => (
              <Textarea
                {...control}
                {...customMessageField}
                ref={(element) => {
                  customMessageFieldRef(element);
                  customMessageRef.current = element;
                }}
                rows={4}
              />
            )}
          </Field>
        ) : null}
        {messageSource === 'custom' ? (
          <div className="mt-3">
            <VariablePicker onInsert={insertVariable} />
          </div>
        ) : null}
      </fieldset>

      <Field
        label="Notes for the rep"
        error={stepErrors?.description?.message}
        className="sm:col-span-6"
      >
        {(control) => (
          <Textarea
            {...control}
            {...form.register(path('description'))}
            rows={2}
            className="min-h-16"
            placeholder="What to do or say in this step (optional)"
          />
        )}
      </Field>
    </div>
  );
}
