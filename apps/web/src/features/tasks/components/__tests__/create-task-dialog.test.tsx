import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { TaskTemplateOption } from '../../api/queries';
import { CreateTaskDialog } from '../create-task-dialog';

const me = '10000000-0000-4000-8000-000000000002';
vi.mock('@/lib/auth', () => ({ useUser: () => ({ id: me, email: 'rep@forkflow.test' }) }));

const spiceRoute = { id: '20000000-0000-4000-8000-000000000003', name: 'Spice Route' };
const reminder: TaskTemplateOption = {
  id: '31000000-0000-4000-8000-000000000002',
  name: 'Reminder call',
  description: 'Confirm the demo time.',
  type: 'call',
  priority: 'high',
  default_message: 'Hi {contact_first_name|there}, confirming our demo for {restaurant_name}.',
  message_template_id: null,
  message_template: null,
};

const fetchMock = vi.fn<typeof fetch>();
const requests: Array<{ path: string; body: unknown }> = [];

beforeEach(() => {
  requests.length = 0;
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ path: url.pathname, body });
    switch (url.pathname) {
      case '/rest/v1/restaurants':
        return postgrestResponse([spiceRoute]);
      case '/rest/v1/rpc/search_task_filter_restaurants': {
        // As the RPC: names starting with what was typed (nothing typed: nothing here).
        const typed = String((body as { p_search: string }).p_search).toLowerCase();
        return postgrestResponse(
          typed && spiceRoute.name.toLowerCase().startsWith(typed) ? [spiceRoute] : [],
        );
      }
      case '/rest/v1/rpc/render_message_preview':
        return postgrestResponse({
          text: 'Hi there, confirming our demo for Spice Route.',
          warnings: [{ variable: 'contact_first_name', problem: 'empty' }],
        });
      case '/rest/v1/tasks':
        return postgrestResponse(
          { id: 't1', name: 'Reminder call', restaurant_id: spiceRoute.id, due_date: null },
          { status: 201 },
        );
      default:
        return postgrestResponse([]);
    }
  });
  vi.stubGlobal('fetch', fetchMock);
});

describe('CreateTaskDialog', () => {
  it('prefills from a task template and saves the message rendered for the restaurant', async () => {
    const user = userEvent.setup();
    const onOpenChange = vi.fn();
    renderWithProviders(
      <CreateTaskDialog
        open
        onOpenChange={onOpenChange}
        assignees={[{ id: me, name: 'Remy Rep' }]}
        templates={{ data: [reminder], isPending: false }}
        restaurantId={spiceRoute.id}
      />,
    );

    await user.selectOptions(
      await screen.findByLabelText('Start from a template'),
      'Reminder call',
    );
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('Reminder call');
    expect(screen.getByRole('combobox', { name: 'Type' })).toHaveValue('call');
    expect(screen.getByRole('combobox', { name: 'Priority' })).toHaveValue('high');
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue(reminder.default_message);
    // The preselected restaurant by name (looked up alone, not picked from a loaded list).
    expect(
      await screen.findByRole('button', { name: 'Restaurant Spice Route' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Assign to' })).toHaveValue(me);

    await user.click(screen.getByRole('button', { name: 'Add task' }));

    await waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    expect(requests.find((r) => r.path === '/rest/v1/rpc/render_message_preview')?.body).toEqual({
      p_template: reminder.default_message,
      p_restaurant_id: spiceRoute.id,
    });
    expect(requests.find((r) => r.path === '/rest/v1/tasks')?.body).toEqual({
      organisation_id: testOrganisation.id,
      name: 'Reminder call',
      restaurant_id: spiceRoute.id,
      type: 'call',
      priority: 'high',
      due_date: null,
      assigned_to: me,
      description: 'Confirm the demo time.',
      subject: null,
      message: 'Hi there, confirming our demo for Spice Route.',
      task_template_id: reminder.id,
      message_template_id: null,
      metadata: { render_warnings: [{ variable: 'contact_first_name', problem: 'empty' }] },
    });
    expect(await screen.findByText('Task added')).toBeInTheDocument();
  });

  it('finds the restaurant by searching as the rep types, never from a truncated list', async () => {
    const user = userEvent.setup();
    const onOpenChange = vi.fn();
    renderWithProviders(
      <CreateTaskDialog
        open
        onOpenChange={onOpenChange}
        assignees={[{ id: me, name: 'Remy Rep' }]}
        templates={{ data: [], isPending: false }}
      />,
    );
    await user.type(await screen.findByRole('textbox', { name: 'Name' }), 'Drop off menus');
    await user.click(screen.getByRole('button', { name: 'Restaurant None (an internal task)' }));
    await user.type(screen.getByRole('combobox', { name: 'Search restaurant' }), 'Spi');
    await user.click(await screen.findByRole('option', { name: 'Spice Route' }));
    expect(screen.getByRole('button', { name: 'Restaurant Spice Route' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Add task' }));
    await waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    expect(
      requests.find(
        (r) =>
          r.path === '/rest/v1/rpc/search_task_filter_restaurants' &&
          (r.body as { p_search: string }).p_search === 'Spi',
      ),
    ).toBeDefined();
    // No list of the organisation's restaurants was loaded for the form.
    expect(requests.some((r) => r.path === '/rest/v1/restaurants')).toBe(false);
    expect(requests.find((r) => r.path === '/rest/v1/tasks')?.body).toMatchObject({
      name: 'Drop off menus',
      restaurant_id: spiceRoute.id,
    });
  });

  it('needs a name', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <CreateTaskDialog
        open
        onOpenChange={vi.fn()}
        assignees={[]}
        templates={{ data: [], isPending: false }}
      />,
    );
    await user.click(await screen.findByRole('button', { name: 'Add task' }));
    expect(await screen.findByText('Name is required')).toBeInTheDocument();
    expect(requests.some((r) => r.path === '/rest/v1/tasks')).toBe(false);
  });
});
