import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

/** What the first-run checklist ticks, each read from the organisation's own rows. */
export type FirstRunProgress = {
  hasRestaurants: boolean;
  hasSequence: boolean;
  /** Someone else is a member, or an invitation is open (owners and admins see those). */
  hasTeam: boolean;
};

/**
 * One row (or two members) per question, never a count: this runs on the home page of
 * organisations of any size, and "is there one" costs the same at 10 or 100,000 rows.
 * RLS leaves out rows in the trash and, for members, invitations.
 */
export async function getFirstRunProgress(organisationId: string): Promise<FirstRunProgress> {
  const [restaurants, sequences, members, invitations] = await Promise.all([
    supabase.from('restaurants').select('id').eq('organisation_id', organisationId).limit(1),
    supabase.from('sequence_templates').select('id').eq('organisation_id', organisationId).limit(1),
    supabase
      .from('organisation_members')
      .select('user_id')
      .eq('organisation_id', organisationId)
      .limit(2),
    supabase
      .from('organisation_invitations')
      .select('id')
      .eq('organisation_id', organisationId)
      .limit(1),
  ]);
  for (const result of [restaurants, sequences, members, invitations]) {
    if (result.error) raise(result.error);
  }
  return {
    hasRestaurants: (restaurants.data?.length ?? 0) > 0,
    hasSequence: (sequences.data?.length ?? 0) > 0,
    hasTeam: (members.data?.length ?? 0) > 1 || (invitations.data?.length ?? 0) > 0,
  };
}

export const firstRunQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'first-run'] as const,
  progress: (organisationId: string) =>
    queryOptions({
      queryKey: [...firstRunQueries.all(organisationId), 'progress'] as const,
      queryFn: () => getFirstRunProgress(organisationId),
    }),
};
