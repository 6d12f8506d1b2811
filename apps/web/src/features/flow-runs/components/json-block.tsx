/** A value as indented JSON, scrollable and focusable (its label is what a test finds). */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className="max-h-72 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-[13px] leading-5 break-words whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
    >
      {value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}
