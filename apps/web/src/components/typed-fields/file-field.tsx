import { FileUp, Paperclip, X } from 'lucide-react';
import { WORKFLOW_FILES_BUCKET, workflowFilePath, type FileRef } from '@forkflow/domain/file-ref';
import { acceptsFile, type FieldSchema } from '@forkflow/domain/field-schema';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { supabase } from '@/lib/supabase';
import type { FieldControlProps } from '@/components/ui/form-field';

/** Puts a file's bytes in Storage at `path`; throws with a readable message when refused. */
export type FileUploader = (path: string, file: File) => Promise<void>;

// The contract's upload (docs/workflow-manager/storage.md): the private workflow-files bucket,
// path <organisation_id>/<uuid>/<name>, which Storage's policies check against membership.
export const uploadToWorkflowFiles: FileUploader = async (path, file) => {
  const { error } = await supabase.storage.from(WORKFLOW_FILES_BUCKET).upload(path, file, {
    contentType: file.type || 'application/octet-stream',
  });
  if (error) throw new Error(error.message);
};

export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

type Props = {
  field: FieldSchema;
  value: FileRef | null;
  onChange: (value: FileRef | null) => void;
  organisationId: string;
  control: FieldControlProps;
  upload?: FileUploader | undefined;
  autoFocus?: boolean | undefined;
};

/**
 * A file field: picks a file, uploads it to Storage and sets the reference (never the bytes).
 * Shows the chosen file's name and size, "Uploading…" while it goes, and offers replace and
 * remove. The accept list and size limit are checked before uploading, so a wrong file costs
 * no upload; the server checks them again.
 */
export function FileField({
  field,
  value,
  onChange,
  organisationId,
  control,
  upload = uploadToWorkflowFiles,
  autoFocus,
}: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    if (field.accept && !acceptsFile(field.accept, { name: file.name, mime_type: file.type })) {
      setProblem(`${file.name} is not a file of type ${field.accept}`);
      return;
    }
    if (field.max_bytes !== undefined && file.size > field.max_bytes) {
      setProblem(
        `${file.name} is ${formatFileSize(file.size)}; at most ${formatFileSize(field.max_bytes)}`,
      );
      return;
    }
    const path = workflowFilePath(organisationId, crypto.randomUUID(), file.name);
    setUploading(file.name);
    try {
      await upload(path, file);
      onChange({
        bucket: WORKFLOW_FILES_BUCKET,
        path,
        name: file.name,
        size: file.size,
        mime_type: file.type || 'application/octet-stream',
      });
    } catch (error) {
      setProblem(`Upload failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setUploading(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="space-y-2">
      <input
        ref={input}
        id={control.id}
        type="file"
        className="sr-only"
        accept={field.accept}
        aria-invalid={control['aria-invalid']}
        aria-describedby={control['aria-describedby']}
        aria-required={control['aria-required']}
        disabled={uploading !== null}
        autoFocus={autoFocus}
        onChange={(event) => void choose(event.target.files?.[0])}
      />
      {value ? (
        <div className="flex items-center gap-2 rounded-lg bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200">
          <Paperclip className="size-4 shrink-0 text-slate-500" aria-hidden />
          <span className="min-w-0 truncate font-medium text-slate-800">{value.name}</span>
          <span className="shrink-0 text-slate-500">{formatFileSize(value.size)}</span>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          variant="secondary"
          size="sm"
          isLoading={uploading !== null}
          disabled={uploading !== null}
          onClick={() => input.current?.click()}
        >
          {uploading === null ? <FileUp className="size-4" aria-hidden /> : null}
          {value ? 'Replace file' : 'Choose file'}
          <span className="sr-only"> for {field.title ?? field.name}</span>
        </Button>
        {value && uploading === null ? (
          <Button variant="ghost" size="sm" onClick={() => onChange(null)}>
            <X className="size-4" aria-hidden />
            Remove
            <span className="sr-only"> {value.name}</span>
          </Button>
        ) : null}
        <span aria-live="polite" className="text-sm text-slate-600">
          {uploading !== null ? `Uploading ${uploading}…` : null}
        </span>
      </div>
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
