import { AlertCircle } from 'lucide-react';
import type { Problem } from '../utils/draft';

/** The problems found at one place of the sequence (a parameter, a flow, an input). */
export function ProblemList({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="space-y-0.5 text-sm text-red-700">
      {problems.map((problem) => (
        <li key={`${problem.key}|${problem.message}`} className="flex items-start gap-1.5">
          <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
          {problem.message}
        </li>
      ))}
    </ul>
  );
}
