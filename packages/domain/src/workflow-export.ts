// A workflow as a JSON file (issue 12 §2): exported from one organisation (or staging) and
// imported into another (or production). The file carries what save-workflow takes to
// create a workflow — never ids, organisations, authors or history, which mean nothing
// elsewhere. Import checks the file's shape here; the definition itself is validated by
// save-workflow against the importing organisation's transformers (a transformer of the
// organisation it came from may not exist there), and its 400 details are shown as they are.
import { z } from 'zod';
import { orderDefinition } from './definition-order.ts';
import { WORKFLOW_KEY_PATTERN } from './ids.ts';

export const WORKFLOW_EXPORT_FORMAT = 'forkflow.workflow';
export const WORKFLOW_EXPORT_VERSION = 1;

/** Larger files are refused before they are parsed (a definition is at most a few hundred KiB). */
export const WORKFLOW_EXPORT_MAX_BYTES = 1024 * 1024;

const jsonObject = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `${what} must be a JSON object` });

export const workflowExportSchema = z.strictObject(
  {
    format: z.literal(WORKFLOW_EXPORT_FORMAT, {
      error: `format must be "${WORKFLOW_EXPORT_FORMAT}": this is not a Forkflow workflow file`,
    }),
    version: z.literal(WORKFLOW_EXPORT_VERSION, {
      error: `version must be ${WORKFLOW_EXPORT_VERSION}: this file is from another version of Forkflow`,
    }),
    key: z
      .string({ error: 'key is required' })
      .regex(
        WORKFLOW_KEY_PATTERN,
        'key is 1 to 63 lower-case letters, digits, _ or -, starting with a letter or digit',
      ),
    name: z
      .string({ error: 'name is required' })
      .max(120, 'name is at most 120 characters')
      .refine((name) => name.trim().length > 0, 'name is required'),
    description: z.string().max(2000, 'description is at most 2000 characters').nullable(),
    // Its steps, transformers and paths are checked by save-workflow (validateWorkflowDefinition).
    definition: jsonObject('definition'),
    // Checked by save-workflow's retryPolicySchema, with its limits.
    retry_policy: jsonObject('retry_policy'),
  },
  { error: 'The file must hold a JSON object' },
);

export type WorkflowExport = z.infer<typeof workflowExportSchema>;

/** The fields of a workflow row an export is made from. */
export interface ExportableWorkflow {
  key: string;
  name: string;
  description: string | null;
  definition: unknown;
  retry_policy: unknown;
}

export function toWorkflowExport(workflow: ExportableWorkflow): WorkflowExport {
  return {
    format: WORKFLOW_EXPORT_FORMAT,
    version: WORKFLOW_EXPORT_VERSION,
    key: workflow.key,
    name: workflow.name,
    description: workflow.description,
    // In the order it is written, not jsonb's (definition-order.ts).
    definition: orderDefinition(workflow.definition) as Record<string, unknown>,
    retry_policy: (workflow.retry_policy ?? {}) as Record<string, unknown>,
  };
}

/** `<key>.workflow.json`, what Export downloads. */
export const workflowExportFileName = (key: string): string => `${key}.workflow.json`;

export type WorkflowExportIssue = { path: (string | number)[]; message: string };

export type WorkflowExportParse =
  { ok: true; value: WorkflowExport } | { ok: false; errors: WorkflowExportIssue[] };

/** Reads a file's text: not JSON, or not the export's shape, comes back as every problem. */
export function parseWorkflowExport(text: string): WorkflowExportParse {
  if (new TextEncoder().encode(text).length > WORKFLOW_EXPORT_MAX_BYTES) {
    return {
      ok: false,
      errors: [{ path: [], message: 'The file is larger than 1 MiB: not a workflow export' }],
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, errors: [{ path: [], message: 'The file is not valid JSON' }] };
  }
  const parsed = workflowExportSchema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: issue.message,
    })),
  };
}

/**
 * Another key for an import whose key is taken: `<key>-2`, `<key>-3`, … (n ≥ 2), the key
 * shortened so the result stays within the 63 characters a key may have.
 */
export function alternativeWorkflowKey(key: string, n: number): string {
  const suffix = `-${n}`;
  return `${key.slice(0, 63 - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
}
