import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import { SearchPicker, type SearchPickerOption } from '../search-picker';

// 100 options exist "on the server"; a search returns at most `limit`, so what is found
// depends on what is typed, never on a first-N cut of the whole list.
const all: SearchPickerOption[] = Array.from({ length: 100 }, (_, i) => ({
  value: `id-${i}`,
  label: `Restaurant ${String(i).padStart(3, '0')}`,
}));

function Harness({
  search,
}: {
  search: (q: string, limit: number) => Promise<SearchPickerOption[]>;
}) {
  const [value, setValue] = useState('');
  const [label, setLabel] = useState<string | undefined>();
  return (
    <>
      <SearchPicker
        label="Restaurant"
        value={value}
        selectedLabel={label}
        allLabel="All restaurants"
        extraOptions={[{ value: 'none', label: 'No restaurant' }]}
        queryKey={['test-picker']}
        search={(q, limit) => search(q, limit)}
        onChange={(next, option) => {
          setValue(next);
          setLabel(option?.label);
        }}
      />
      <output aria-label="picked">{value}</output>
    </>
  );
}

function setup() {
  const search = vi.fn(async (q: string, limit: number) =>
    all.filter((option) => option.label.toLowerCase().includes(q.toLowerCase())).slice(0, limit),
  );
  const user = userEvent.setup();
  renderWithProviders(<Harness search={search} />);
  return { search, user };
}

describe('SearchPicker', () => {
  it('searches the server as you type and finds an option past the first page', async () => {
    const { search, user } = setup();
    const trigger = screen.getByRole('button', { name: 'Restaurant All restaurants' });
    await user.click(trigger);

    const box = screen.getByRole('combobox', { name: 'Search restaurant' });
    expect(await screen.findByRole('option', { name: 'Restaurant 019' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: 'Restaurant 087' })).not.toBeInTheDocument();
    expect(screen.getByText('Showing the first 20; type more to narrow.')).toBeInTheDocument();

    await user.type(box, '087');
    await screen.findByRole('option', { name: 'Restaurant 087' });
    expect(search).toHaveBeenLastCalledWith('087', 20);
    await user.click(screen.getByRole('option', { name: 'Restaurant 087' }));

    expect(screen.getByRole('status', { name: 'picked' })).toHaveTextContent('id-87');
    expect(screen.getByRole('button', { name: 'Restaurant Restaurant 087' })).toHaveFocus();
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('picks with the keyboard, offers the fixed options, and says when nothing matches', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Restaurant All restaurants' }));
    await screen.findByRole('option', { name: 'Restaurant 000' });
    expect(screen.getAllByRole('option')[1]).toHaveAccessibleName('No restaurant');

    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.getByRole('status', { name: 'picked' })).toHaveTextContent('none');

    await user.click(screen.getByRole('button', { name: 'Restaurant No restaurant' }));
    await user.type(screen.getByRole('combobox', { name: 'Search restaurant' }), 'zzz');
    expect(await screen.findByText('Nothing matches “zzz”.')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('combobox')).not.toBeInTheDocument());
    expect(screen.getByRole('status', { name: 'picked' })).toHaveTextContent('none');
  });

  it('says when the options cannot be loaded', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Harness search={() => Promise.reject(new Error('down'))} />);
    await user.click(screen.getByRole('button', { name: 'Restaurant All restaurants' }));
    expect(await screen.findByText('Could not load the options.')).toBeInTheDocument();
  });
});
