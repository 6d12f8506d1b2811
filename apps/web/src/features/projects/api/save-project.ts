import {
  MAX_API_HOSTS,
  MAX_VALUE_LENGTH,
  MAX_VARIABLES,
  SCALAR_TYPES,
  apiHostsSchema,
  saveProjectBodySchema,
  variableNameSchema,
  type ProjectVariable,
  type SaveProjectBody,
} from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { projectQueries, type Project } from './queries';

/** "Lead enrichment" → "lead-enrichment": the slug suggested while it is untouched. */
export const slugFromName = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');

/** Rows of a list whose `name`s must be unique: the repeat is the one flagged. */
const uniqueRowNames = (what: string) => (rows: Array<{ name: string }>, ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    if (row.name && seen.has(row.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `Another ${what} has this name`,
      });
    }
    seen.add(row.name);
  });
};

const apiHostUrlSchema = z.string().superRefine((url, ctx) => {
  const result = apiHostsSchema.safeParse({ host: url });
  if (!result.success) {
    ctx.addIssue({
      code: 'custom',
      message: result.error.issues[0]?.message ?? 'An API host is an http(s) URL',
    });
  }
});

export const VALUE_SOURCES = ['hardcoded', 'environment'] as const;

/**
 * A project variable as the form edits it: both sources' fields are kept while the radio
 * switches, so switching back loses nothing; the value is text until it is sent.
 */
const variableRowSchema = z
  .object({
    name: variableNameSchema,
    type: z.enum(SCALAR_TYPES),
    description: z.string().max(2000, 'At most 2,000 characters'),
    required: z.boolean(),
    source: z.enum(VALUE_SOURCES),
    value: z.string().max(MAX_VALUE_LENGTH, `At most ${MAX_VALUE_LENGTH} characters`),
    environment_variable: z.string(),
  })
  .superRefine((row, ctx) => {
    if (row.source === 'environment') {
      if (!row.environment_variable) {
        ctx.addIssue({
          code: 'custom',
          path: ['environment_variable'],
          message: 'Pick one of the environment’s variables',
        });
      }
      return;
    }
    if (row.type === 'number' && row.value.trim() !== '' && !Number.isFinite(Number(row.value))) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter a number' });
    }
  });

export type ProjectVariableRow = z.input<typeof variableRowSchema>;

const toProjectVariable = (row: ProjectVariableRow): ProjectVariable => {
  const base = {
    name: row.name,
    type: row.type,
    description: row.description.trim() || null,
    required: row.required,
  };
  if (row.source === 'environment') {
    return { ...base, source: 'environment', environment_variable: row.environment_variable };
  }
  const text = row.value;
  // Empty means "no value here": a required variable then has to come from elsewhere.
  const value =
    text.trim() === ''
      ? null
      : row.type === 'number'
        ? Number(text)
        : row.type === 'boolean'
          ? text === 'true'
          : text;
  return { ...base, source: 'hardcoded', value };
};

/** What a person sets on a project; the forms (zodResolver) and the mutation share it. */
export const projectInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the project').max(200, 'At most 200 characters'),
    slug: saveProjectBodySchema.shape.slug,
    description: z.string().max(2000, 'At most 2,000 characters'),
    variables: z
      .array(variableRowSchema)
      .max(MAX_VARIABLES, `At most ${MAX_VARIABLES} variables`)
      .superRefine(uniqueRowNames('variable')),
    api_hosts: z
      .array(z.object({ name: variableNameSchema, url: apiHostUrlSchema }))
      .max(MAX_API_HOSTS, `At most ${MAX_API_HOSTS} API hosts`)
      .superRefine(uniqueRowNames('API host')),
    workflow_ids: z.array(z.string()),
  })
  .transform((values) => ({
    name: values.name,
    slug: values.slug,
    description: values.description.trim() || null,
    variables: values.variables.map(toProjectVariable),
    api_hosts: Object.fromEntries(values.api_hosts.map((host) => [host.name, host.url])),
    workflow_ids: values.workflow_ids,
  }));

export type ProjectFormValues = z.input<typeof projectInputSchema>;
export type ProjectInput = z.output<typeof projectInputSchema>;

export const emptyProjectFormValues: ProjectFormValues = {
  name: '',
  slug: '',
  description: '',
  variables: [],
  api_hosts: [],
  workflow_ids: [],
};

export const emptyVariableRow: ProjectVariableRow = {
  name: '',
  type: 'string',
  description: '',
  required: false,
  source: 'hardcoded',
  value: '',
  environment_variable: '',
};

export function toProjectFormValues(project: Project): ProjectFormValues {
  return {
    name: project.name,
    slug: project.slug,
    description: project.description ?? '',
    variables: project.variables.map((variable) => ({
      name: variable.name,
      type: variable.type,
      description: variable.description ?? '',
      required: variable.required,
      source: variable.source,
      value:
        variable.source === 'hardcoded' && variable.value !== null ? String(variable.value) : '',
      environment_variable: variable.source === 'environment' ? variable.environment_variable : '',
    })),
    api_hosts: Object.entries(project.api_hosts).map(([name, url]) => ({ name, url })),
    workflow_ids: project.workflow_ids,
  };
}

/** The body save-project takes to store a project exactly as it is (status changes). */
export const projectBody = (project: Project): SaveProjectBody => ({
  organisation_id: project.organisation_id,
  project_id: project.id,
  slug: project.slug,
  name: project.name,
  description: project.description,
  status: project.status,
  environment_id: project.environment_id,
  api_hosts: project.api_hosts,
  variables: project.variables,
  workflow_ids: project.workflow_ids,
});

export type SavedProject = { project: Project; warnings: string[] };

const warningText = (warning: unknown) =>
  typeof warning === 'string'
    ? warning
    : typeof warning === 'object' && warning !== null && 'message' in warning
      ? String((warning as { message: unknown }).message)
      : String(warning);

/** POST save-project: it validates with the domain schema and checks the caller's role. */
export async function postProject(body: SaveProjectBody): Promise<SavedProject> {
  const result = await invokeFunction<Project & { warnings?: unknown[] }>('save-project', {
    body,
  });
  const { warnings = [], ...project } = result;
  return {
    project: {
      ...project,
      variables: project.variables ?? [],
      api_hosts: project.api_hosts ?? {},
      workflow_ids: project.workflow_ids ?? [],
    },
    warnings: warnings.map(warningText),
  };
}

/**
 * Creates (no `project`) or saves a project's details, variables, hosts and workflows. Its
 * status and environment are kept as they are (`project` is the latest the page has).
 */
export async function saveProject({
  organisationId,
  project,
  data,
}: {
  organisationId: string;
  project?: Project | undefined;
  data: ProjectFormValues;
}): Promise<SavedProject> {
  const input = projectInputSchema.parse(data);
  return postProject({
    organisation_id: organisationId,
    project_id: project?.id ?? null,
    status: project?.status ?? 'active',
    environment_id: project?.environment_id ?? null,
    ...input,
  });
}

/** A server path (`variables.2.environment_variable`, `api_hosts.crm_api`) → the form's field. */
export function projectFieldFor(values: ProjectFormValues) {
  return (path: string): string | null => {
    const [head, key, leaf] = path.split('.');
    if (head === 'name' || head === 'slug' || head === 'description') return head;
    if (head === 'variables' && key !== undefined && /^\d+$/.test(key)) {
      const field =
        leaf === 'environment_variable' || leaf === 'value' || leaf === 'type' ? leaf : 'name';
      return `variables.${key}.${field}`;
    }
    if (head === 'api_hosts' && key !== undefined) {
      const index = values.api_hosts.findIndex((host) => host.name === key);
      return index >= 0 ? `api_hosts.${index}.url` : null;
    }
    return null;
  };
}

export function useSaveProject({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveProject>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveProject,
    onSuccess: async (saved, ...args) => {
      queryClient.setQueryData(
        projectQueries.detail(organisationId, saved.project.id).queryKey,
        saved.project,
      );
      await queryClient.invalidateQueries({ queryKey: projectQueries.lists(organisationId) });
      return onSuccess?.(saved, ...args);
    },
  });
}
