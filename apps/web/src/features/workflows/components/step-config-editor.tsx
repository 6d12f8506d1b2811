import { configSchemaOf, type TransformerForConfig } from '@forkflow/domain/step-config';
import { useId, useState } from 'react';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useTransformerConfigs } from '../api/transformer-config';
import { TypedFields } from '@/components/typed-fields';
import {
  draftsFromValue,
  readFields,
  type FieldDrafts,
} from '@/components/typed-fields/read-fields';

// A step's "Configure" section (issue 12 §3): the fields its transformer declares
// (transformers.config_schema) as typed controls over the step's `config`. Edits write the
// config back at once (what does not read yet — half-typed JSON — waits), keeping members no
// field declares; a config changed elsewhere (the JSON editor, the canvas) re-fills the
// fields. Errors are those save-workflow would answer: the step's config merged over the
// transformer's, checked by the domain's validateFields. Blank fields show the transformer's
// preset (or the field's default) as a placeholder.

type Config = Record<string, unknown>;

type Props = {
  /** The step's transformer, with its config and config_schema; undefined while loading. */
  transformer: TransformerForConfig | undefined;
  /** The step's own config (the definition's steps.<id>.config). */
  config: Config | undefined;
  onChange: (config: Config) => void;
  organisationId: string;
  /** Every transformer the organisation can use: an organisation's preset takes its type's schema. */
  transformers?: readonly TransformerForConfig[];
  /** Errors the server placed at steps.<id>.config.<field>, by field. */
  serverErrors?: Readonly<Record<string, string>>;
};

const isRecord = (value: unknown): value is Config =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The config with the fields' members replaced by `value`'s, undeclared ones kept in place. */
export function configWithFields(
  config: Config,
  fieldNames: readonly string[],
  value: Config,
): Config {
  const declared = new Set(fieldNames);
  const out: Config = {};
  for (const [key, member] of Object.entries(config)) {
    if (!declared.has(key)) out[key] = member;
    else if (Object.hasOwn(value, key)) out[key] = value[key];
  }
  for (const [key, member] of Object.entries(value)) {
    if (!Object.hasOwn(out, key)) out[key] = member;
  }
  return out;
}

export function StepConfigEditor({
  transformer,
  config = {},
  onChange,
  organisationId,
  transformers = [],
  serverErrors = {},
}: Props) {
  const headingId = useId();
  const schema = transformer
    ? configSchemaOf(transformer, transformers.length > 0 ? transformers : [transformer])
    : { fields: [], rules: [] };
  const base = transformer && isRecord(transformer.config) ? transformer.config : {};
  const [drafts, setDrafts] = useState<FieldDrafts>(() =>
    draftsFromValue(schema.fields, config, { useDefaults: false }),
  );
  // The config last seen or written: a different one came from elsewhere and re-fills the
  // fields; our own write comes back equal and leaves half-typed text alone.
  const configJson = JSON.stringify(config);
  const [seen, setSeen] = useState(configJson);
  const schemaJson = JSON.stringify(schema);
  const [seenSchema, setSeenSchema] = useState(schemaJson);
  if (seen !== configJson || seenSchema !== schemaJson) {
    setSeen(configJson);
    setSeenSchema(schemaJson);
    setDrafts(draftsFromValue(schema.fields, config, { useDefaults: false }));
  }

  if (!transformer) return null;
  if (schema.fields.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        {transformer.id} declares no settings; its config, if any, is edited as JSON.
      </p>
    );
  }

  const reading = readFields(schema.fields, drafts, { rules: schema.rules ?? [], base });
  const placeholders = Object.fromEntries(
    schema.fields.map((field) => [field.name, base[field.name] ?? field.default]),
  );

  const change = (next: FieldDrafts) => {
    setDrafts(next);
    const read = readFields(schema.fields, next, { rules: schema.rules ?? [], base });
    // Text that does not read yet keeps the field's previous member rather than dropping it.
    const value = { ...read.value };
    for (const name of read.unreadable) {
      if (Object.hasOwn(config, name)) value[name] = config[name];
    }
    const written = configWithFields(
      config,
      schema.fields.map((field) => field.name),
      value,
    );
    const writtenJson = JSON.stringify(written);
    if (writtenJson === configJson) return;
    setSeen(writtenJson);
    onChange(written);
  };

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h4 id={headingId} className="text-sm font-semibold text-slate-900">
        Configure
      </h4>
      <p className="text-xs text-slate-500">
        Settings of {transformer.id}. Blank fields use the transformer&apos;s preset, shown greyed.
      </p>
      <TypedFields
        fields={schema.fields}
        value={drafts}
        onChange={change}
        errors={{ ...serverErrors, ...reading.errors }}
        organisationId={organisationId}
        placeholders={placeholders}
      />
    </section>
  );
}

/**
 * The editor wired to the organisation and its transformers' schemas, for a step of the
 * definition: what the workflow form and the canvas panel mount.
 */
export function StepConfigSection({
  transformerId,
  config,
  onChange,
  serverErrors,
}: {
  transformerId: string;
  config: unknown;
  onChange: (config: Config) => void;
  serverErrors?: Readonly<Record<string, string>>;
}) {
  const organisation = useCurrentOrganisation();
  const configs = useTransformerConfigs(organisation.id);
  if (configs.isPending) {
    return <p className="text-sm text-slate-500">Loading the step&apos;s settings…</p>;
  }
  if (configs.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        Could not load the step&apos;s settings: {getErrorMessage(configs.error)}
      </p>
    );
  }
  return (
    <StepConfigEditor
      transformer={configs.data.find((transformer) => transformer.id === transformerId)}
      transformers={configs.data}
      config={isRecord(config) ? config : {}}
      onChange={onChange}
      organisationId={organisation.id}
      serverErrors={serverErrors}
    />
  );
}
