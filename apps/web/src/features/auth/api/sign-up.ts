import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';

export const PASSWORD_MIN = 8;

export const signUpInputSchema = z.object({
  fullName: z
    .string()
    .trim()
    .min(1, 'Enter your full name')
    .max(100, 'Name must be at most 100 characters'),
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .pipe(z.email('Enter a valid email address')),
  password: z
    .string()
    .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
    .max(72, 'Use at most 72 characters'),
});

export type SignUpInput = z.output<typeof signUpInputSchema>;

export async function signUp(input: SignUpInput) {
  const { fullName, email, password } = signUpInputSchema.parse(input);
  const { data, error } = await supabase.auth.signUp({
    email,
    password,
    options: { data: { full_name: fullName } },
  });
  if (error) {
    if (error.code === 'user_already_exists' || /already registered/i.test(error.message)) {
      throw new AppError('An account with this email already exists. Sign in instead.', {
        code: error.code,
      });
    }
    if (error.code === 'weak_password') {
      throw new AppError(error.message, { code: error.code });
    }
    raise(error);
  }
  // No session means the project requires email confirmation first.
  return { session: data.session, needsConfirmation: !data.session };
}

export function useSignUp({
  mutationConfig,
}: { mutationConfig?: MutationConfig<typeof signUp> } = {}) {
  return useMutation({ ...mutationConfig, mutationFn: signUp });
}
