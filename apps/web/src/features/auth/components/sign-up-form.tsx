import { zodResolver } from '@hookform/resolvers/zod';
import { MailCheck } from 'lucide-react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import { PASSWORD_MIN, signUpInputSchema, useSignUp, type SignUpInput } from '../api/sign-up';

export function SignUpForm({ onSignedIn }: { onSignedIn: () => void }) {
  const form = useForm<z.input<typeof signUpInputSchema>, unknown, SignUpInput>({
    resolver: zodResolver(signUpInputSchema),
    defaultValues: { fullName: '', email: '', password: '' },
  });
  const signUp = useSignUp({
    mutationConfig: {
      onSuccess: (result) => {
        if (!result.needsConfirmation) onSignedIn();
      },
    },
  });
  const { errors } = form.formState;

  if (signUp.data?.needsConfirmation) {
    return (
      <div
        role="status"
        className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
      >
        <MailCheck className="mb-2 size-5" aria-hidden />
        <p className="font-medium">Check your email</p>
        <p className="mt-1">
          We sent a confirmation link to {form.getValues('email')}. Open it to finish creating your
          account.
        </p>
      </div>
    );
  }

  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={form.handleSubmit((values) => signUp.mutate(values))}
    >
      <FormErrorSummary
        title="Couldn't create your account"
        messages={signUp.error ? [getErrorMessage(signUp.error)] : []}
      />
      <Field label="Full name" error={errors.fullName?.message}>
        {(control) => (
          <Input {...control} {...form.register('fullName')} autoComplete="name" autoFocus />
        )}
      </Field>
      <Field label="Email" error={errors.email?.message}>
        {(control) => (
          <Input {...control} {...form.register('email')} type="email" autoComplete="email" />
        )}
      </Field>
      <Field
        label="Password"
        error={errors.password?.message}
        hint={`At least ${PASSWORD_MIN} characters.`}
      >
        {(control) => (
          <Input
            {...control}
            {...form.register('password')}
            type="password"
            autoComplete="new-password"
          />
        )}
      </Field>
      <Button type="submit" className="w-full" isLoading={signUp.isPending}>
        Create account
      </Button>
    </form>
  );
}
