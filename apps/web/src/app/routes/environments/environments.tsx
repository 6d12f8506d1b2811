// Placeholder: replaced by the page this route shows (issue 11).
export function Component() {
  return <p className="text-sm text-slate-600">This page is being built.</p>;
}
