import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';

export const signInInputSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .pipe(z.email('Enter a valid email address')),
  password: z.string().min(1, 'Enter your password'),
});

export type SignInInput = z.output<typeof signInInputSchema>;

export async function signIn(input: SignInInput) {
  const { email, password } = signInInputSchema.parse(input);
  const { data, error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) {
    if (error.code === 'invalid_credentials' || /invalid login credentials/i.test(error.message)) {
      throw new AppError('That email and password don’t match an account.', { code: error.code });
    }
    if (error.code === 'email_not_confirmed') {
      throw new AppError('Confirm your email address first: check your inbox for the link.', {
        code: error.code,
      });
    }
    raise(error);
  }
  return data.session;
}

export function useSignIn({
  mutationConfig,
}: { mutationConfig?: MutationConfig<typeof signIn> } = {}) {
  return useMutation({ ...mutationConfig, mutationFn: signIn });
}
