import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  createTestQueryClient,
  postgrestResponse,
  renderWithProviders,
  testOrganisation,
} from '@/testing/test-utils';
import {
  emptyMessageTemplateFormValues,
  type MessageTemplateFormValues,
} from '../../api/create-message-template';
import { templateQueries, type PreviewRestaurant } from '../../api/queries';
import type { Rep } from '../../types';
import { MessageTemplateEditor } from '../message-template-editor';

const remy: Rep = {
  id: '10000000-0000-4000-8000-000000000002',
  name: 'Remy Rep',
  email: 'rep@forkflow.test',
};

const restaurants: PreviewRestaurant[] = [
  {
    id: '20000000-0000-4000-8000-000000000003',
    name: 'Spice Route',
    contact_name: 'Arjun Patel',
    contact_email: 'arjun@spiceroute.test',
    contact_phone: null,
    city: 'Cardiff',
    cuisine: 'Indian',
    assigned_sales_rep: remy.id,
  },
  {
    id: '20000000-0000-4000-8000-000000000001',
    name: "Luigi's",
    contact_name: null,
    contact_email: null,
    contact_phone: null,
    city: 'Bristol',
    cuisine: 'Italian',
    assigned_sales_rep: null,
  },
];

function setup(defaults: Partial<MessageTemplateFormValues> = {}) {
  // The restaurants to preview with, as PostgREST would send them.
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async () => postgrestResponse(restaurants)),
  );
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(
    templateQueries.previewRestaurants(testOrganisation.id).queryKey,
    restaurants,
  );
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <MessageTemplateEditor
      defaultValues={{ ...emptyMessageTemplateFormValues, name: 'Intro', ...defaults }}
      reps={[remy]}
      submitLabel="Create template"
      onSubmit={onSubmit}
      onCancel={vi.fn()}
    />,
    { queryClient },
  );
  return { user, onSubmit };
}

const message = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Message/ });
const preview = (restaurant: string) =>
  screen.getByRole('document', { name: `Message for ${restaurant}` });
const warnings = () =>
  screen.queryByRole('list', { name: 'Preview warnings' })
    ? within(screen.getByRole('list', { name: 'Preview warnings' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent)
    : [];

describe('MessageTemplateEditor', () => {
  it('previews the message for a restaurant as it is typed, with the rep’s details', async () => {
    const { user } = setup({ subject: 'Hello from {organisation_name}' });
    await user.click(message());
    await user.paste('Hi {contact_first_name}, {rep_first_name} here about {restaurant_name}.');
    expect(preview('Spice Route')).toHaveTextContent(
      'Subject: Hello from Harbour Street Sales' + 'Hi Arjun, Remy here about Spice Route.',
    );
    expect(warnings()).toEqual([]);
    expect(screen.getByText('Every variable is filled for Spice Route.')).toBeInTheDocument();
  });

  it('warns when a variable is empty for the chosen restaurant, and suggests a fallback', async () => {
    const { user } = setup({ type: 'text' });
    await user.click(message());
    await user.paste('Hi {contact_name}, it’s {rep_name}.');
    await user.selectOptions(screen.getByLabelText('Preview for'), "Luigi's");

    expect(preview("Luigi's")).toHaveTextContent('Hi , it’s .');
    expect(warnings()).toEqual([
      "contact_name is empty for Luigi's — add a fallback: {contact_name|there}",
      "rep_name is empty for Luigi's — add a fallback: {rep_name|the team}",
    ]);

    await user.clear(message());
    await user.paste('Hi {contact_name|there}, it’s {rep_name|the team}.');
    expect(preview("Luigi's")).toHaveTextContent('Hi there, it’s the team.');
    expect(warnings()).toEqual([]);
  });

  it('inserts a variable from the picker where the cursor is', async () => {
    const { user } = setup();
    await user.click(message());
    await user.paste('Hello !');
    message().setSelectionRange(6, 6);
    await user.click(screen.getByRole('button', { name: /^Insert \{contact_first_name\}/ }));
    expect(message()).toHaveValue('Hello {contact_first_name}!');
    await waitFor(() => expect(message()).toHaveFocus());
    expect(preview('Spice Route')).toHaveTextContent('Hello Arjun!');
  });

  it('asks before saving a placeholder no restaurant can fill, then saves when told to', async () => {
    const { user, onSubmit } = setup();
    await user.click(message());
    await user.paste('Hi {contact_frist_name|there}');
    expect(warnings()).toEqual([
      '{contact_frist_name} isn’t a variable Forkflow knows, so it would be sent as written — did you mean {contact_first_name}?',
    ]);

    await user.click(screen.getByRole('button', { name: 'Create template' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Check the placeholders before saving');
    expect(alert).toHaveTextContent(
      '{contact_frist_name} isn’t a variable Forkflow knows (did you mean {contact_first_name}?): it would be sent as written.',
    );
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(within(alert).getByRole('button', { name: 'Save anyway' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      name: 'Intro',
      type: 'email',
      message_content: 'Hi {contact_frist_name|there}',
    });
  });

  it('saves without asking when every placeholder is known', async () => {
    const { user, onSubmit } = setup({ type: 'call', subject: 'ignored for calls' });
    expect(screen.queryByRole('textbox', { name: 'Subject' })).not.toBeInTheDocument();
    await user.click(message());
    await user.paste('Ask for {contact_name|the owner}.');
    await user.click(screen.getByRole('button', { name: 'Create template' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: 'Intro',
      description: null,
      type: 'call',
      subject: null,
      message_content: 'Ask for {contact_name|the owner}.',
      is_active: true,
    });
  });

  it('says what is missing next to the fields', async () => {
    const { user, onSubmit } = setup({ name: '' });
    await user.click(screen.getByRole('button', { name: 'Create template' }));
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(
        'Name the template',
      ),
    );
    expect(message()).toHaveAccessibleDescription('Write the message');
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
