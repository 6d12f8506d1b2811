import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { ToastProvider } from '@/components/ui/toast';
import { OrganisationContext, type CurrentOrganisation } from '@/lib/organisation';

export const testOrganisation: CurrentOrganisation = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Harbour Street Sales',
  role: 'member',
};

export function createTestQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

type Options = Omit<RenderOptions, 'wrapper'> & {
  route?: string;
  organisation?: CurrentOrganisation;
  queryClient?: QueryClient;
};

/** Render inside the providers the app gives every page. */
export function renderWithProviders(ui: ReactElement, options: Options = {}) {
  const {
    route = '/',
    organisation = testOrganisation,
    queryClient = createTestQueryClient(),
    ...rest
  } = options;
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[route]}>
        <ToastProvider>
          <OrganisationContext value={organisation}>{children}</OrganisationContext>
        </ToastProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
  return { queryClient, ...render(ui, { wrapper: Wrapper, ...rest }) };
}

/** A PostgREST-shaped response for a stubbed fetch. */
export function postgrestResponse(body: unknown, init: { status?: number; total?: number } = {}) {
  const { status = 200, total } = init;
  const rows = Array.isArray(body) ? body.length : 1;
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  if (total !== undefined)
    headers.set('content-range', rows ? `0-${rows - 1}/${total}` : `*/${total}`);
  return new Response(JSON.stringify(body), { status, headers });
}
