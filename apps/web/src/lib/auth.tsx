import type { Session, User } from '@supabase/supabase-js';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, use, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { supabase } from './supabase';

type AuthState =
  | { status: 'loading'; session: null; user: null }
  | { status: 'signed-out'; session: null; user: null }
  | { status: 'signed-in'; session: Session; user: User };

const AuthContext = createContext<AuthState | null>(null);

const stateFor = (session: Session | null): AuthState =>
  session
    ? { status: 'signed-in', session, user: session.user }
    : { status: 'signed-out', session: null, user: null };

/**
 * Holds the Supabase session. supabase-js persists it in localStorage and refreshes
 * the token; we mirror its events so the UI re-renders on sign-in/out in any tab.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading', session: null, user: null });
  const userId = useRef<string | null>(null);

  useEffect(() => {
    let active = true;
    const apply = (session: Session | null) => {
      const nextUserId = session?.user.id ?? null;
      // Nothing cached for one user may be shown to the next (sign-out, or another
      // account signing in from another tab).
      if (userId.current !== null && userId.current !== nextUserId) queryClient.clear();
      userId.current = nextUserId;
      setState(stateFor(session));
    };
    void supabase.auth.getSession().then(({ data }) => {
      if (active) apply(data.session);
    });
    const { data } = supabase.auth.onAuthStateChange((_event, session) => {
      if (active) apply(session);
    });
    return () => {
      active = false;
      data.subscription.unsubscribe();
    };
  }, [queryClient]);

  return <AuthContext value={state}>{children}</AuthContext>;
}

export function useAuth(): AuthState {
  const state = use(AuthContext);
  if (!state) throw new Error('useAuth must be used inside <AuthProvider>');
  return state;
}

/** The signed-in user; only call below a route that requires authentication. */
export function useUser(): User {
  const state = useAuth();
  if (state.status !== 'signed-in') throw new Error('useUser called without a signed-in user');
  return state.user;
}

export function useDisplayName(user: User) {
  return useMemo(() => {
    const fullName = user.user_metadata?.['full_name'];
    return typeof fullName === 'string' && fullName.trim()
      ? fullName.trim()
      : (user.email ?? 'You');
  }, [user]);
}

export async function signOut() {
  const { error } = await supabase.auth.signOut();
  // Even if the server call fails the local session is dropped; surface nothing.
  if (error) console.warn('sign-out:', error.message);
}
