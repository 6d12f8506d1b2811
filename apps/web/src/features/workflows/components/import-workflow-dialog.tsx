import {
  alternativeWorkflowKey,
  parseWorkflowExport,
  WORKFLOW_EXPORT_MAX_BYTES,
  type WorkflowExport,
} from '@forkflow/domain/workflow-export';
import { WORKFLOW_KEY_PATTERN } from '@forkflow/domain/ids';
import { Upload } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { FunctionError } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { describeSaveWorkflowError } from '../api/save-workflow';
import { useImportWorkflow } from '../api/import-workflow';

type Loaded = { file: WorkflowExport; fileName: string };
type Problem = { title: string; messages: string[] };

/** A file's text through FileReader, which every browser (and jsdom, in tests) has. */
const readText = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsText(file);
  });

const formatPath = (path: (string | number)[]) => (path.length ? `${path.join('.')}: ` : '');

/**
 * "Import" on the workflows list: reads a `<key>.workflow.json` an Export downloaded (in
 * this organisation or another), checks its shape in the browser (packages/domain's
 * workflowExportSchema) and creates the workflow through save-workflow, which validates
 * the definition against this organisation's transformers and shows every problem. When
 * the key is taken, it offers another one to import under.
 */
export function ImportWorkflowButton({
  canCreate,
  className,
}: {
  canCreate: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  if (!canCreate) return null;
  return (
    <>
      <Button variant="secondary" className={className} onClick={() => setOpen(true)}>
        <Upload className="size-4" aria-hidden />
        Import
      </Button>
      <ImportWorkflowDialog open={open} onOpenChange={setOpen} />
    </>
  );
}

export function ImportWorkflowDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  // The next `-n` offered when a key is taken: -2, then -3 if that is taken too.
  const [nextSuffix, setNextSuffix] = useState(2);

  const reset = () => {
    setLoaded(null);
    setKey('');
    setProblem(null);
    setNextSuffix(2);
  };
  const close = (next: boolean) => {
    if (!next) reset();
    onOpenChange(next);
  };

  const importing = useImportWorkflow({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (workflow) => {
        close(false);
        toast({ title: 'Workflow imported', description: `${workflow.name} (${workflow.key})` });
        void navigate(paths.app.workflow.getHref(workflow.id));
      },
      onError: (error, variables) => {
        const described = describeSaveWorkflowError(error);
        if (error instanceof FunctionError && error.code === 'key_taken') {
          const suggestion = alternativeWorkflowKey(variables.file.key, nextSuffix);
          setNextSuffix(nextSuffix + 1);
          setKey(suggestion);
          setProblem({
            title: "The workflow wasn't imported",
            messages: [
              `${described.messages.join(' ')} The key below is now ${suggestion}: change it if you like, then import again.`,
            ],
          });
          return;
        }
        setProblem({ title: "The workflow wasn't imported", messages: described.messages });
      },
    },
  });

  const readFile = async (file: File | undefined) => {
    reset();
    if (!file) return;
    // A file far larger than any export is refused before it is read into memory.
    if (file.size > WORKFLOW_EXPORT_MAX_BYTES) {
      setProblem({
        title: `${file.name} is not a workflow export`,
        messages: ['The file is larger than 1 MiB'],
      });
      return;
    }
    let text: string;
    try {
      text = await readText(file);
    } catch (error) {
      setProblem({ title: `Couldn't read ${file.name}`, messages: [getErrorMessage(error)] });
      return;
    }
    const parsed = parseWorkflowExport(text);
    if (!parsed.ok) {
      setProblem({
        title: `${file.name} is not a workflow export`,
        messages: parsed.errors.map((e) => `${formatPath(e.path)}${e.message}`),
      });
      return;
    }
    setLoaded({ file: parsed.value, fileName: file.name });
    setKey(parsed.value.key);
  };

  const keyError =
    loaded && !WORKFLOW_KEY_PATTERN.test(key)
      ? 'Lower-case letters, digits, - and _ (starting with a letter or digit), up to 63 characters'
      : undefined;
  const steps = loaded
    ? Object.keys((loaded.file.definition['steps'] ?? {}) as Record<string, unknown>).length
    : 0;

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Import a workflow"
      description="Choose a .workflow.json file exported from Forkflow (from this organisation or another). It is checked against this organisation's transformers before anything is created."
      footer={
        <>
          <Button variant="secondary" onClick={() => close(false)}>
            Cancel
          </Button>
          <Button
            disabled={!loaded || Boolean(keyError)}
            isLoading={importing.isPending}
            onClick={() => {
              if (!loaded) return;
              setProblem(null);
              importing.mutate({
                organisationId: organisation.id,
                file: loaded.file,
                fileName: loaded.fileName,
                key,
              });
            }}
          >
            Import
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <Field label="Workflow file">
          {(control) => (
            <Input
              {...control}
              type="file"
              accept=".json,application/json"
              onChange={(event) => void readFile(event.target.files?.[0])}
            />
          )}
        </Field>
        {problem ? <FormErrorSummary title={problem.title} messages={problem.messages} /> : null}
        {loaded ? (
          <>
            <p className="text-sm text-slate-700">
              <span className="font-medium text-slate-900">{loaded.file.name}</span> · {steps} step
              {steps === 1 ? '' : 's'}
            </p>
            <Field
              label="Key"
              error={keyError}
              hint="How other systems start it; it must be unused in this organisation."
            >
              {(control) => (
                <Input {...control} value={key} onChange={(event) => setKey(event.target.value)} />
              )}
            </Field>
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
