// The shape every request of the `scale` bench section has, and the context it runs in.
// Each request is one call the web app makes, run as a signed-in rep through PostgREST, so
// its figure includes RLS, PostgREST and HTTP exactly as a browser would see them.
import type { SupabaseClient } from '@supabase/supabase-js';

/** What a request may refer to; the same keys exist for the 100k and the demo-size organisation. */
export interface ScaleContext {
  organisationId: string;
  /** The signed-in rep (a member of the organisation) whose client runs the request. */
  repUserId: string;
  /** Every rep of the organisation (the rep filter and pickers pick among them). */
  repUserIds: string[];
  /** A word in many restaurant names (a search that matches thousands of rows). */
  commonWord: string;
  /** A word in a handful of restaurant names. */
  rareWord: string;
  /** Restaurants in the organisation (about 100,000 at scale, a few dozen on demo size). */
  restaurantCount: number;
}

export type ScaleRequest = {
  name: string;
  /** Throws when the request fails (an error answer must not pass for a fast one). */
  run(client: SupabaseClient, ctx: ScaleContext): Promise<unknown>;
};

/** Unwraps a supabase-js answer, throwing its error so a failing request stops the bench. */
export function must<T>(answer: { data: T; error: { message: string } | null }, name: string): T {
  if (answer.error) throw new Error(`${name}: ${answer.error.message}`);
  return answer.data;
}
