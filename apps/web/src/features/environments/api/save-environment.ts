import {
  MAX_API_HOSTS,
  MAX_VALUE_LENGTH,
  MAX_VARIABLES,
  apiHostsSchema,
  saveEnvironmentBodySchema,
  variableNameSchema,
  type EnvironmentVariableInput,
  type SaveEnvironmentBody,
} from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { environmentQueries, toEnvironment, type Environment } from './queries';

/** An API host's URL, checked by the domain's own rule (one home). */
export const apiHostUrlSchema = z.string().superRefine((url, ctx) => {
  const result = apiHostsSchema.safeParse({ host: url });
  if (!result.success) {
    ctx.addIssue({
      code: 'custom',
      message: result.error.issues[0]?.message ?? 'An API host is an http(s) URL',
    });
  }
});

/** Rows of a list whose `name`s must be unique: the repeat is the one flagged. */
export const uniqueRowNames =
  (what: string) => (rows: Array<{ name: string }>, ctx: z.RefinementCtx) => {
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

/**
 * A variable row of the form. A secret's stored value never comes to the browser: `keep`
 * means "leave the stored value as it is" (the row shows •••• and a Replace button), and
 * `stored_name` is the name it is stored under (null for a new row).
 */
const variableRowSchema = z
  .object({
    name: variableNameSchema,
    secret: z.boolean(),
    value: z.string().max(MAX_VALUE_LENGTH, `At most ${MAX_VALUE_LENGTH} characters`),
    keep: z.boolean(),
    stored_name: z.string().nullable(),
  })
  .superRefine((row, ctx) => {
    if (!row.secret) return;
    if (row.keep && row.stored_name !== null && row.name !== row.stored_name) {
      // The server keeps a secret by its name: under a new name it would have no value.
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'Renaming a secret needs its value again: choose Replace and enter it',
      });
    }
    if (!row.keep && row.value === '') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter the secret’s value' });
    }
  });

export type EnvironmentVariableRow = z.input<typeof variableRowSchema>;

/** What a person edits on an environment; the form (zodResolver) and the mutation share it. */
export const environmentInputSchema = z
  .object({
    name: saveEnvironmentBodySchema.shape.name,
    description: z.string().max(2000, 'At most 2,000 characters'),
    variables: z
      .array(variableRowSchema)
      .max(MAX_VARIABLES, `At most ${MAX_VARIABLES} variables`)
      .superRefine(uniqueRowNames('variable')),
    api_hosts: z
      .array(z.object({ name: variableNameSchema, url: apiHostUrlSchema }))
      .max(MAX_API_HOSTS, `At most ${MAX_API_HOSTS} API hosts`)
      .superRefine(uniqueRowNames('API host')),
  })
  .transform((values): Omit<SaveEnvironmentBody, 'organisation_id' | 'environment_id'> => ({
    name: values.name,
    description: values.description.trim() || null,
    variables: values.variables.map((row): EnvironmentVariableInput => {
      // A kept secret is sent without a value: the server keeps what it stores.
      if (row.secret && row.keep) return { name: row.name, secret: true };
      if (row.secret) return { name: row.name, secret: true, value: row.value };
      return { name: row.name, secret: false, value: row.value === '' ? null : row.value };
    }),
    api_hosts: Object.fromEntries(values.api_hosts.map((host) => [host.name, host.url])),
  }));

export type EnvironmentFormValues = z.input<typeof environmentInputSchema>;
export type EnvironmentInput = z.output<typeof environmentInputSchema>;

export const emptyEnvironmentFormValues: EnvironmentFormValues = {
  name: '',
  description: '',
  variables: [],
  api_hosts: [],
};

export const emptyVariableRow: EnvironmentVariableRow = {
  name: '',
  secret: false,
  value: '',
  keep: false,
  stored_name: null,
};

export function toEnvironmentFormValues(environment: Environment): EnvironmentFormValues {
  return {
    name: environment.name,
    description: environment.description ?? '',
    variables: environment.variables.map((variable) => ({
      name: variable.name,
      secret: variable.secret,
      value: variable.secret ? '' : (variable.value ?? ''),
      keep: variable.secret && variable.has_value,
      stored_name: variable.name,
    })),
    api_hosts: Object.entries(environment.api_hosts).map(([name, url]) => ({ name, url })),
  };
}

/**
 * Creates (no environmentId) or saves an environment through save-environment, which checks
 * the caller is an owner/admin and stores secret values where no API reads them.
 */
export async function saveEnvironment({
  organisationId,
  environmentId,
  data,
}: {
  organisationId: string;
  environmentId?: string | undefined;
  data: EnvironmentFormValues;
}): Promise<Environment> {
  const input = environmentInputSchema.parse(data);
  const result = await invokeFunction<Environment | { environment: Environment }>(
    'save-environment',
    {
      body: {
        organisation_id: organisationId,
        ...(environmentId ? { environment_id: environmentId } : {}),
        ...input,
      },
    },
  );
  return toEnvironment('environment' in result ? result.environment : result);
}

/** A server path (`variables.2.value`, `api_hosts.crm_api`) → the form's field. */
export function environmentFieldFor(values: EnvironmentFormValues) {
  return (path: string): string | null => {
    const [head, key, leaf] = path.split('.');
    if (head === 'name' || head === 'description') return head;
    if (head === 'variables' && key !== undefined && /^\d+$/.test(key)) {
      return `variables.${key}.${leaf === 'value' || leaf === 'secret' ? 'value' : 'name'}`;
    }
    if (head === 'api_hosts' && key !== undefined) {
      const index = values.api_hosts.findIndex((host) => host.name === key);
      return index >= 0 ? `api_hosts.${index}.url` : null;
    }
    return null;
  };
}

export function useSaveEnvironment({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveEnvironment>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveEnvironment,
    onSuccess: async (environment, ...args) => {
      queryClient.setQueryData(
        environmentQueries.detail(organisationId, environment.id).queryKey,
        environment,
      );
      // Projects show their environment's variables: refetch everything that reads them.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: environmentQueries.lists(organisationId) }),
      ]);
      return onSuccess?.(environment, ...args);
    },
  });
}
