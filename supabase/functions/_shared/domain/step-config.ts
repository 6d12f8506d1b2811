// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import {
  EMPTY_CONFIG_SCHEMA,
  configSchemaSchema,
  validateFields,
  type ConfigSchema,
  type FieldError,
} from './field-schema.ts';

// A step's typed config (issue 12 §3): the config a step's executor receives is the step's
// `config` merged over its transformer's (the orchestrator's merge), so that merge is what is
// checked against the transformer's config_schema. save-workflow refuses a definition with
// these errors; the web's step config editor shows them at the field.

/** A transformer row as far as config checks read it. */
export type TransformerForConfig = {
  id: string;
  organisation_id?: string | null;
  type?: string | null;
  config?: unknown;
  config_schema?: unknown;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored config_schema, or the empty one when it does not parse (nothing to check). */
export function parseConfigSchema(raw: unknown): ConfigSchema {
  const parsed = configSchemaSchema.safeParse(raw);
  return parsed.success ? parsed.data : EMPTY_CONFIG_SCHEMA;
}

/**
 * The schema a transformer's config is checked against: its own when it declares fields,
 * else that of the built-in of its type. An organisation's transformer is a preset of a
 * built-in (issue 12 §8) and runs the same executor, which reads the same fields.
 */
export function configSchemaOf(
  transformer: TransformerForConfig,
  transformers: readonly TransformerForConfig[],
): ConfigSchema {
  const own = parseConfigSchema(transformer.config_schema);
  if (own.fields.length > 0 || !transformer.organisation_id) return own;
  const builtin = transformers.find(
    (candidate) => !candidate.organisation_id && candidate.type === transformer.type,
  );
  return builtin ? parseConfigSchema(builtin.config_schema) : own;
}

/** The step's config as its executor receives it: the step's over the transformer's. */
export function mergedStepConfig(
  transformer: TransformerForConfig | undefined,
  stepConfig: unknown,
): Record<string, unknown> {
  return {
    ...(isRecord(transformer?.config) ? transformer.config : {}),
    ...(isRecord(stepConfig) ? stepConfig : {}),
  };
}

/** Problems with one step's merged config, at the field (paths relative to the config). */
export function stepConfigFieldErrors(
  transformer: TransformerForConfig | undefined,
  transformers: readonly TransformerForConfig[],
  stepConfig: unknown,
): FieldError[] {
  if (!transformer) return [];
  const schema = configSchemaOf(transformer, transformers);
  if (schema.fields.length === 0) return [];
  const checked = validateFields(
    schema.fields,
    mergedStepConfig(transformer, stepConfig),
    schema.rules,
  );
  return checked.ok ? [] : checked.errors;
}

export type StepConfigError = {
  path: ['steps', string, 'config', string];
  code: 'invalid_config';
  message: string;
};

/** Every step's config problems, at `steps.<id>.config.<field>`, in step order. */
export function stepConfigErrors(
  definition: { steps: Record<string, { transformer_id: string; config?: unknown }> },
  transformers: readonly TransformerForConfig[],
): StepConfigError[] {
  const byId = new Map(transformers.map((transformer) => [transformer.id, transformer]));
  const errors: StepConfigError[] = [];
  for (const [id, step] of Object.entries(definition.steps)) {
    const transformer = byId.get(step.transformer_id);
    for (const error of stepConfigFieldErrors(transformer, transformers, step.config)) {
      errors.push({
        path: ['steps', id, 'config', error.path[0]],
        code: 'invalid_config',
        message: `Step ${id}: ${error.message}`,
      });
    }
  }
  return errors;
}
