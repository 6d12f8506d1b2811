import { Link, Navigate, useSearchParams } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { FullPageSpinner } from '@/components/ui/spinner';
import { paths, safeRedirect } from '@/config/paths';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { useAuth } from '@/lib/auth';

export function Component() {
  const auth = useAuth();
  const [params] = useSearchParams();
  const redirectTo = params.get('redirectTo');

  if (auth.status === 'loading') return <FullPageSpinner />;
  // Signed in (just now, or already): go where the user was heading.
  if (auth.status === 'signed-in') return <Navigate to={safeRedirect(redirectTo)} replace />;

  return (
    <AuthLayout
      title="Sign in to Forkflow"
      subtitle="Welcome back. Your pipeline is waiting."
      footer={
        <>
          New to Forkflow?{' '}
          <Link
            to={paths.auth.signUp.getHref(redirectTo)}
            className="font-medium text-brand-700 hover:underline"
          >
            Create an account
          </Link>
        </>
      }
    >
      <title>Sign in · Forkflow</title>
      <SignInForm onSuccess={() => undefined} />
    </AuthLayout>
  );
}
