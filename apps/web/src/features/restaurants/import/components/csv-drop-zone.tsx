import { FileUp } from 'lucide-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { cn } from '@/lib/utils';

/** The largest file the page reads (about 50,000 rows of typical restaurant data). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

type Props = { onFile: (file: File) => void; error?: string | null };

/** A file input that also takes a dropped file; keyboard users tab to the input's label. */
export function CsvDropZone({ onFile, error }: Props) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };

  return (
    <div>
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          'flex flex-col items-center rounded-xl border-2 border-dashed px-6 py-12 text-center transition-colors',
          dragging ? 'border-brand-500 bg-brand-50' : 'border-slate-300 bg-white',
        )}
      >
        <FileUp className="size-8 text-brand-600" aria-hidden />
        <p className="mt-3 text-sm text-slate-700">Drop a CSV file here, or</p>
        <label
          htmlFor={inputId}
          className="mt-2 cursor-pointer rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-xs hover:bg-brand-700 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-600"
        >
          Choose a CSV file
          <input
            ref={inputRef}
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) onFile(file);
              // Choosing the same file again after a fix must read it again.
              event.target.value = '';
            }}
          />
        </label>
        <p className="mt-3 max-w-md text-xs text-slate-500">
          The first line names the columns. Comma or semicolon separated, as spreadsheets save it;
          up to {IMPORT_MAX_BYTES / 1024 / 1024} MB.
        </p>
      </div>
      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
