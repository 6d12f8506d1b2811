import { Link, Navigate, useSearchParams } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { FullPageSpinner } from '@/components/ui/spinner';
import { paths, safeRedirect } from '@/config/paths';
import { SignUpForm } from '@/features/auth/components/sign-up-form';
import { useAuth } from '@/lib/auth';

export function Component() {
  const auth = useAuth();
  const [params] = useSearchParams();
  const redirectTo = params.get('redirectTo');

  if (auth.status === 'loading') return <FullPageSpinner />;
  if (auth.status === 'signed-in') return <Navigate to={safeRedirect(redirectTo)} replace />;

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Start tracking restaurants, tasks and follow-ups in one place."
      footer={
        <>
          Already have an account?{' '}
          <Link
            to={paths.auth.signIn.getHref(redirectTo)}
            className="font-medium text-brand-700 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <title>Create account · Forkflow</title>
      <SignUpForm onSignedIn={() => undefined} />
    </AuthLayout>
  );
}
