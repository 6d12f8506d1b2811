export function Logo() {
  return (
    <span className="flex items-center gap-2 text-slate-900">
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <path
          d="M11 8v7a3 3 0 0 0 3 3v6M14 8v5M17 8v7a3 3 0 0 1-3 3M21 8c-1.5 0-2 2.5-2 5s1 3 2 3v8"
          fill="none"
          stroke="#fff"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="text-base font-semibold tracking-tight">Forkflow</span>
    </span>
  );
}
