import { Menu as MenuIcon, X } from 'lucide-react';
import { useEffect, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { cn } from '@/lib/utils';
import { Logo } from './logo';

export type NavigationItem = {
  name: string;
  to: string;
  icon: ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;
};

type AppLayoutProps = {
  navigation: NavigationItem[];
  /** Above the navigation (the organisation switcher). */
  header: ReactNode;
  /** Below the navigation (the signed-in user). */
  footer: ReactNode;
  children: ReactNode;
};

function Navigation({ items }: { items: NavigationItem[] }) {
  return (
    <nav aria-label="Main" className="flex-1">
      <ul className="space-y-0.5">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors',
                  'focus-visible:outline-2 focus-visible:outline-brand-600',
                  isActive
                    ? 'bg-brand-50 text-brand-700'
                    : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900',
                )
              }
            >
              {({ isActive }) => (
                <>
                  <item.icon
                    className={cn('size-5', isActive ? 'text-brand-600' : 'text-slate-400')}
                    aria-hidden
                  />
                  {item.name}
                </>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SidebarContent({ navigation, header, footer }: Omit<AppLayoutProps, 'children'>) {
  return (
    <div className="flex h-full flex-col gap-5 px-3 py-4">
      <div className="px-2">
        <Logo />
      </div>
      {header}
      <Navigation items={navigation} />
      <div className="border-t border-slate-200 pt-3">{footer}</div>
    </div>
  );
}

/**
 * The signed-in shell: a fixed sidebar from the lg breakpoint, a top bar with a menu
 * drawer below it.
 */
export function AppLayout({ navigation, header, footer, children }: AppLayoutProps) {
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawerRef = useRef<HTMLDialogElement>(null);
  const location = useLocation();

  useEffect(() => {
    const drawer = drawerRef.current;
    if (!drawer) return;
    if (drawerOpen && !drawer.open) drawer.showModal();
    if (!drawerOpen && drawer.open) drawer.close();
  }, [drawerOpen]);

  // Following a link closes the drawer (adjusting state during render, not in an effect).
  const [pathname, setPathname] = useState(location.pathname);
  if (pathname !== location.pathname) {
    setPathname(location.pathname);
    setDrawerOpen(false);
  }

  return (
    <div className="min-h-dvh bg-slate-50">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:ring-2 focus:ring-brand-600"
      >
        Skip to content
      </a>

      <aside className="fixed inset-y-0 left-0 z-30 hidden w-64 border-r border-slate-200 bg-white lg:block">
        <SidebarContent navigation={navigation} header={header} footer={footer} />
      </aside>

      <div className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/95 px-4 backdrop-blur lg:hidden">
        <button
          type="button"
          onClick={() => setDrawerOpen(true)}
          className="-ml-1.5 rounded-md p-1.5 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
          aria-label="Open menu"
          aria-expanded={drawerOpen}
        >
          <MenuIcon className="size-6" aria-hidden />
        </button>
        <Logo />
      </div>

      <dialog
        ref={drawerRef}
        aria-label="Menu"
        onCancel={(event) => {
          event.preventDefault();
          setDrawerOpen(false);
        }}
        onClick={(event) => {
          if (event.target === drawerRef.current) setDrawerOpen(false);
        }}
        className="drawer-panel fixed inset-y-0 left-0 m-0 h-dvh max-h-none w-72 max-w-[85vw] bg-white p-0 shadow-xl backdrop:bg-slate-900/40 lg:hidden"
      >
        {drawerOpen ? (
          <div className="relative h-full">
            <button
              type="button"
              onClick={() => setDrawerOpen(false)}
              className="absolute top-3.5 right-3 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
              aria-label="Close menu"
            >
              <X className="size-5" aria-hidden />
            </button>
            <SidebarContent navigation={navigation} header={header} footer={footer} />
          </div>
        ) : null}
      </dialog>

      <main id="main" tabIndex={-1} className="outline-none lg:pl-64">
        <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">{children}</div>
      </main>
    </div>
  );
}
