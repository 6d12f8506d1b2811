import { ChevronsUpDown } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { FilterSelect } from '@/components/ui/filter-select';
import { EmptyState } from '@/components/ui/states';
import { cn } from '@/lib/utils';
import type { WorkflowVersion } from '../api/queries';
import { prettyDefinition } from '../utils/analyse-definition';
import { collapseUnchanged, diffLines, type DiffLine } from '../utils/line-diff';
import { policyRows } from '../utils/retry-policy';

type Props = {
  /** The workflow's versions, any order. */
  versions: WorkflowVersion[];
  /** The versions to start with (default: the one before the latest, and the latest). */
  initial?: { from: number; to: number } | undefined;
};

const byNumberDesc = (a: WorkflowVersion, b: WorkflowVersion) => b.version - a.version;

/**
 * Two versions side by side: pick any two; the definition as pretty JSON with a line diff
 * (added and removed lines marked in words as well as colour, long unchanged runs collapsed
 * behind a button) and the retry policy's fields next to each other, changed ones flagged.
 */
export function VersionCompare({ versions, initial }: Props) {
  const sorted = useMemo(() => [...versions].sort(byNumberDesc), [versions]);
  const [from, setFrom] = useState(initial?.from ?? sorted[1]?.version ?? 0);
  const [to, setTo] = useState(initial?.to ?? sorted[0]?.version ?? 0);
  const older = sorted.find((v) => v.version === from);
  const newer = sorted.find((v) => v.version === to);

  if (sorted.length < 2) {
    return (
      <EmptyState
        title="Nothing to compare yet"
        description="This workflow has one version. Save a change and compare the two here."
      />
    );
  }

  const options = sorted.map((v) => (
    <option key={v.id} value={v.version}>
      Version {v.version}
      {v.change_description ? ` · ${v.change_description.slice(0, 60)}` : ''}
    </option>
  ));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <FilterSelect
          label="Compare version"
          showLabel
          value={String(from)}
          onChange={(value) => setFrom(Number(value))}
          className="w-64"
        >
          {options}
        </FilterSelect>
        <FilterSelect
          label="With version"
          showLabel
          value={String(to)}
          onChange={(value) => setTo(Number(value))}
          className="w-64"
        >
          {options}
        </FilterSelect>
      </div>
      {older && newer ? (
        older.version === newer.version ? (
          <p className="text-sm text-slate-600">
            Both sides are version {older.version}: pick two different versions.
          </p>
        ) : (
          <>
            <PolicyComparison older={older} newer={newer} />
            <DefinitionDiff older={older} newer={newer} />
          </>
        )
      ) : null}
    </div>
  );
}

function PolicyComparison({ older, newer }: { older: WorkflowVersion; newer: WorkflowVersion }) {
  const left = policyRows(older.retry_policy);
  const right = new Map(policyRows(newer.retry_policy));
  return (
    <section aria-labelledby="compare-policy">
      <h3 id="compare-policy" className="text-sm font-semibold text-slate-900">
        Retry policy
      </h3>
      <table className="mt-2 w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th scope="col" className="py-1 font-medium">
              Field
            </th>
            <th scope="col" className="py-1 font-medium">
              Version {older.version}
            </th>
            <th scope="col" className="py-1 font-medium">
              Version {newer.version}
            </th>
          </tr>
        </thead>
        <tbody>
          {left.map(([label, value]) => {
            const other = right.get(label) ?? '';
            const changed = other !== value;
            return (
              <tr key={label} className={cn(changed && 'bg-amber-50')}>
                <th scope="row" className="py-1 text-left font-normal text-slate-500">
                  {label}
                </th>
                <td className="py-1 text-slate-900">{value}</td>
                <td className="py-1 text-slate-900">
                  {other}
                  {changed ? (
                    <span className="ml-2 text-xs font-medium text-amber-800">changed</span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const lineStyles: Record<DiffLine['kind'], string> = {
  same: 'text-slate-700',
  added: 'bg-emerald-50 text-emerald-900',
  removed: 'bg-rose-50 text-rose-900',
};
const lineMarks: Record<DiffLine['kind'], { sign: string; words: string }> = {
  same: { sign: ' ', words: '' },
  added: { sign: '+', words: 'Added: ' },
  removed: { sign: '−', words: 'Removed: ' },
};

function DiffRow({ line }: { line: DiffLine }) {
  const mark = lineMarks[line.kind];
  return (
    <div className={cn('flex', lineStyles[line.kind])} data-kind={line.kind}>
      <span aria-hidden className="w-10 shrink-0 pr-2 text-right text-slate-400 select-none">
        {line.kind === 'added' ? '' : line.oldNumber}
      </span>
      <span aria-hidden className="w-10 shrink-0 pr-2 text-right text-slate-400 select-none">
        {line.kind === 'removed' ? '' : line.newNumber}
      </span>
      <span aria-hidden className="w-4 shrink-0 select-none">
        {mark.sign}
      </span>
      <span className="whitespace-pre">
        {mark.words ? <span className="sr-only">{mark.words}</span> : null}
        {line.text}
      </span>
    </div>
  );
}

function DefinitionDiff({ older, newer }: { older: WorkflowVersion; newer: WorkflowVersion }) {
  const diff = useMemo(
    () => diffLines(prettyDefinition(older.definition), prettyDefinition(newer.definition)),
    [older.definition, newer.definition],
  );
  const chunks = useMemo(() => collapseUnchanged(diff.lines), [diff.lines]);
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const unchanged = diff.added === 0 && diff.removed === 0;

  return (
    <section aria-labelledby="compare-definition">
      <h3 id="compare-definition" className="text-sm font-semibold text-slate-900">
        Definition
      </h3>
      <p aria-live="polite" className="mt-1 text-xs text-slate-600">
        {unchanged
          ? 'The definitions are the same.'
          : `From version ${older.version} to ${newer.version}: ${diff.added} line${diff.added === 1 ? '' : 's'} added, ${diff.removed} removed.`}
        {diff.approximate
          ? ' The definitions are too large for a line-by-line match: the changed part is shown removed, then added.'
          : ''}
      </p>
      <div
        tabIndex={0}
        role="group"
        aria-label={`Definition changes from version ${older.version} to version ${newer.version}`}
        className="mt-2 max-h-[50dvh] overflow-auto rounded-lg bg-slate-50 py-2 font-mono text-[13px] leading-5 ring-1 ring-slate-200"
      >
        {chunks.map((chunk, index) =>
          chunk.kind === 'shown' || expanded.has(index) ? (
            chunk.lines.map((line, k) => <DiffRow key={`${index}-${k}`} line={line} />)
          ) : (
            <button
              key={index}
              type="button"
              onClick={() => setExpanded((open) => new Set(open).add(index))}
              className="flex w-full items-center gap-2 bg-slate-100 px-3 py-1 text-left text-xs text-slate-600 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-slate-400"
            >
              <ChevronsUpDown className="size-3.5" aria-hidden />
              Show {chunk.lines.length} unchanged lines
            </button>
          ),
        )}
      </div>
    </section>
  );
}

/** The comparison in a dialog, opened from the version history. */
export function VersionCompareDialog({
  workflowName,
  versions,
  open,
  onClose,
  initial,
}: Props & { workflowName: string; open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? undefined : onClose())}
      title={`Compare versions · ${workflowName}`}
      size="lg"
    >
      {open ? <VersionCompare versions={versions} initial={initial} /> : null}
    </Dialog>
  );
}
