import { useId, type ReactNode } from 'react';

/** One part of the calendar form: its title and explanation on the left, its fields beside. */
export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className="grid grid-cols-1 gap-3 border-t border-slate-100 px-5 py-5 first:border-t-0 sm:px-6 md:grid-cols-[14rem_minmax(0,1fr)] md:gap-8"
    >
      <div>
        <h2 id={id} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      <div className="min-w-0 space-y-3">{children}</div>
    </section>
  );
}
