import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import type { TrashKind } from './queries';

export async function restoreFromTrash({
  kind,
  id,
}: {
  kind: TrashKind;
  id: string;
  /** For messages only. */
  name?: string;
}) {
  const { data, error } = await supabase.rpc('restore_from_trash', {
    p_kind: kind,
    p_ids: [id],
  });
  if (error) raise(error);
  if (data.length === 0) {
    throw new AppError(
      'It was not restored: it has been purged, restored already, or is not yours to restore.',
      { code: 'not_restored' },
    );
  }
  return { kind, id };
}

export function useRestoreFromTrash({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof restoreFromTrash>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: restoreFromTrash,
    // A restored row reappears in lists this feature does not own (restaurants, tasks,
    // templates): everything cached for the organisation is refetched.
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: ['orgs', organisationId] });
      await onSettled?.(...args);
    },
  });
}
