// What a suite needs beyond a Supabase. `pnpm test`'s throwaway stack provides all of it;
// pointed at a real Supabase (README "Against a real Supabase", GitHub CI) a suite missing one
// is skipped, and `pnpm test`'s summary lists it with this reason (the runner reads
// `meta.skipReason` from vitest's JSON report: packages/repo-tools/src/test-report.ts).
import type { SuiteOptions } from 'vitest';
import { hasOrchestrator } from './workflows.ts';

declare module 'vitest' {
  interface TaskMeta {
    /** Why a test was skipped; `pnpm test`'s summary prints it. */
    skipReason?: string;
  }
}

export interface Need {
  met: boolean;
  reason: string;
}

export const fakeGemini: Need = {
  met: Boolean(process.env.FAKE_GEMINI_URL),
  reason: 'needs the fake Gemini server that only the local stack starts (FAKE_GEMINI_URL)',
};

/** The executor tests call servers they start on 127.0.0.1; the local stack's functions allow it. */
export const loopbackHttp: Need = {
  met: (process.env.HTTP_REQUEST_ALLOWED_HOSTS ?? '').split(',').includes('127.0.0.1'),
  reason:
    'needs execute-http-request allowed to call 127.0.0.1 (HTTP_REQUEST_ALLOWED_HOSTS, set by the local stack)',
};

export const orchestrator: Need = {
  met: hasOrchestrator,
  reason: 'needs supabase/functions/workflow-orchestrator',
};

/**
 * Options for `describe(name, needs(a, b), fn)`: skipped when a need is unmet, with the
 * reasons as the tests' meta so the summary can say why instead of dropping them silently.
 */
export function needs(...required: Need[]): SuiteOptions {
  const missing = required.filter((need) => !need.met);
  if (missing.length === 0) return { skip: false, meta: {} };
  return { skip: true, meta: { skipReason: missing.map((need) => need.reason).join('; ') } };
}
