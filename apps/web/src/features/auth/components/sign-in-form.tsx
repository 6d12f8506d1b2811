import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import { signInInputSchema, useSignIn, type SignInInput } from '../api/sign-in';

export function SignInForm({ onSuccess }: { onSuccess: () => void }) {
  const form = useForm<z.input<typeof signInInputSchema>, unknown, SignInInput>({
    resolver: zodResolver(signInInputSchema),
    defaultValues: { email: '', password: '' },
  });
  const signIn = useSignIn({ mutationConfig: { onSuccess } });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={form.handleSubmit((values) => signIn.mutate(values))}
    >
      <FormErrorSummary
        title="Couldn't sign you in"
        messages={signIn.error ? [getErrorMessage(signIn.error)] : []}
      />
      <Field label="Email" error={errors.email?.message}>
        {(control) => (
          <Input
            {...control}
            {...form.register('email')}
            type="email"
            autoComplete="email"
            autoFocus
          />
        )}
      </Field>
      <Field label="Password" error={errors.password?.message}>
        {(control) => (
          <Input
            {...control}
            {...form.register('password')}
            type="password"
            autoComplete="current-password"
          />
        )}
      </Field>
      <Button type="submit" className="w-full" isLoading={signIn.isPending}>
        Sign in
      </Button>
    </form>
  );
}
