import type { User } from '@supabase/supabase-js';
import { ChevronsUpDown, LogOut } from 'lucide-react';
import { useNavigate } from 'react-router';
import { Menu } from '@/components/ui/menu';
import { paths } from '@/config/paths';
import { signOut, useDisplayName } from '@/lib/auth';
import { initials } from '@/lib/utils';

export function UserMenu({ user }: { user: User }) {
  const name = useDisplayName(user);
  const navigate = useNavigate();
  return (
    <Menu
      label={`Account: ${name}`}
      side="top"
      menuClassName="w-full"
      triggerClassName="flex w-full items-center gap-3 rounded-lg p-2 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
      trigger={
        <>
          <span
            className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-800 text-xs font-semibold text-white"
            aria-hidden
          >
            {initials(name)}
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium text-slate-900">{name}</span>
            <span className="block truncate text-xs text-slate-500">{user.email}</span>
          </span>
          <ChevronsUpDown className="size-4 shrink-0 text-slate-400" aria-hidden />
        </>
      }
      items={[
        {
          key: 'sign-out',
          label: 'Sign out',
          icon: <LogOut className="size-4" aria-hidden />,
          onSelect: () => {
            void signOut().then(() => navigate(paths.auth.signIn.getHref(), { replace: true }));
          },
        },
      ]}
    />
  );
}
