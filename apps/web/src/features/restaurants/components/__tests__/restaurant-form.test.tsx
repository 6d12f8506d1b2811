import { emptyRestaurantFormValues } from '@forkflow/domain/restaurants';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Rep } from '../../types';
import { RestaurantForm } from '../restaurant-form';

const reps: Rep[] = [
  {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Olivia Owner',
    email: 'owner@forkflow.test',
  },
  { id: '10000000-0000-4000-8000-000000000002', name: 'Remy Rep', email: 'rep@forkflow.test' },
];

function setup(props: Partial<Parameters<typeof RestaurantForm>[0]> = {}) {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  const user = userEvent.setup();
  render(
    <RestaurantForm
      defaultValues={emptyRestaurantFormValues}
      reps={reps}
      submitLabel="Add restaurant"
      onSubmit={onSubmit}
      onCancel={onCancel}
      {...props}
    />,
  );
  return { user, onSubmit, onCancel };
}

describe('RestaurantForm', () => {
  it('labels every field visibly', () => {
    setup();
    for (const label of [
      'Name',
      'Cuisine',
      'City',
      'Address',
      'Contact name',
      'Contact email',
      'Contact phone',
      'Website',
      'Lead stage',
      'Warmth',
      'Status',
      'Assigned rep',
      'Notes',
    ]) {
      expect(screen.getByLabelText(new RegExp(`^${label}`))).toBeInTheDocument();
    }
  });

  it('focuses the name field first', () => {
    setup();
    expect(screen.getByLabelText(/^Name/)).toHaveFocus();
  });

  it('says the name is required, next to the field, and does not submit', async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole('button', { name: 'Add restaurant' }));
    // Validation is asynchronous (zodResolver): wait for the message to render.
    await screen.findByText('Name is required');
    const name = screen.getByLabelText(/^Name/);
    expect(name).toHaveAccessibleDescription('Name is required');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('explains a bad email, phone and website next to each field', async () => {
    const { user, onSubmit } = setup();
    await user.type(screen.getByLabelText(/^Name/), 'Harbour Bistro');
    await user.type(screen.getByLabelText('Contact email'), 'ada-at-harbour');
    await user.type(screen.getByLabelText('Contact phone'), 'call me');
    await user.type(screen.getByLabelText('Website'), 'not a site');
    await user.click(screen.getByRole('button', { name: 'Add restaurant' }));
    await screen.findByText('Enter a valid email address');

    expect(screen.getByLabelText('Contact email')).toHaveAccessibleDescription(
      'Enter a valid email address',
    );
    expect(screen.getByLabelText('Contact phone')).toHaveAccessibleDescription(
      'Enter a valid phone number',
    );
    expect(screen.getByLabelText('Website')).toHaveAccessibleDescription(
      'Enter a web address, like harbourbistro.com',
    );
    expect(screen.getByLabelText(/^Name/)).not.toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('clears an error once the field is fixed and submitted again', async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole('button', { name: 'Add restaurant' }));
    expect(await screen.findByText('Name is required')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Name/), 'Noodle Bar');
    await user.click(screen.getByRole('button', { name: 'Add restaurant' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(screen.queryByText('Name is required')).not.toBeInTheDocument();
  });

  it('submits with Enter, sending trimmed values and nulls for empty fields', async () => {
    const { user, onSubmit } = setup();
    await user.type(screen.getByLabelText(/^Name/), '  Harbour Bistro ');
    await user.selectOptions(screen.getByLabelText('Lead stage'), 'Demo booked');
    await user.selectOptions(screen.getByLabelText('Warmth'), 'Hot');
    await user.selectOptions(screen.getByLabelText('Assigned rep'), 'Remy Rep');
    await user.type(screen.getByLabelText('Website'), 'harbourbistro.com{Enter}');

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: 'Harbour Bistro',
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      website: 'https://harbourbistro.com',
      address: null,
      city: null,
      cuisine: null,
      lead_stage: 'demo_booked',
      lead_warmth: 'hot',
      lead_status: 'active',
      assigned_sales_rep: reps[1]?.id,
      notes: null,
    });
  });

  it('shows a server error in a summary above the fields', () => {
    setup({ serverError: "You don't have permission to do that in this organisation." });
    const summary = screen.getByRole('alert');
    expect(within(summary).getByText("The restaurant wasn't saved")).toBeInTheDocument();
    expect(within(summary).getByText(/don't have permission/)).toBeInTheDocument();
  });

  it('disables submitting while saving', () => {
    setup({ isPending: true });
    expect(screen.getByRole('button', { name: 'Add restaurant' })).toBeDisabled();
  });

  it('cancels without submitting', async () => {
    const { user, onSubmit, onCancel } = setup();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
