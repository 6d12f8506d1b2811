import type { ReactNode } from 'react';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A value as indented JSON, scrollable and focusable (its label is what a test finds). */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className="max-h-80 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-[13px] leading-5 break-words whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
    >
      {value === undefined ? '—' : json(value)}
    </pre>
  );
}

/** A titled card of the job page. */
export function Section({
  title,
  children,
  id,
}: {
  title: string;
  children: ReactNode;
  id: string;
}) {
  return (
    <section
      aria-labelledby={id}
      className="min-w-0 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <h2
        id={id}
        className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900 sm:px-5"
      >
        {title}
      </h2>
      <div className="px-4 py-4 sm:px-5">{children}</div>
    </section>
  );
}
