import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDisplayTimeZone, setDisplayTimeZone } from '@/lib/format-in-zone';
import { formatDateTime } from '@/lib/utils';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { useDisplayTimeZone } from '../use-display-time-zone';

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => setDisplayTimeZone(null));

/** A page that prints a list date the way every list does, once the shell says it may. */
function Page() {
  const { ready } = useDisplayTimeZone(testOrganisation.id);
  if (!ready) return <p>Loading</p>;
  return <p>Created {formatDateTime('2026-11-24T08:05:00Z')}</p>;
}

const calendarRow = (time_zone: string) => ({
  organisation_id: testOrganisation.id,
  time_zone,
  working_days: [1, 2, 3, 4, 5],
  windows: [{ start: '09:00', end: '17:00' }],
  holidays: [],
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
});

describe('useDisplayTimeZone', () => {
  it("shows the pages' dates in the organisation's calendar zone, never first in another", async () => {
    fetchMock.mockResolvedValue(postgrestResponse(calendarRow('Asia/Tokyo')));
    renderWithProviders(<Page />);
    expect(screen.getByText('Loading')).toBeInTheDocument();
    expect(await screen.findByText('Created 24 Nov 2026, 17:05')).toBeInTheDocument();
    expect(getDisplayTimeZone()).toBe('Asia/Tokyo');
  });

  it("uses the browser's zone when the organisation has no calendar", async () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({
      timeZone: 'America/Los_Angeles',
    } as Intl.ResolvedDateTimeFormatOptions);
    // maybeSingle: PostgREST answers an empty array when there is no row.
    fetchMock.mockResolvedValue(postgrestResponse([]));
    renderWithProviders(<Page />);
    expect(await screen.findByText('Created 24 Nov 2026, 00:05')).toBeInTheDocument();
  });

  it("falls back to the browser's zone when the calendar can't be read", async () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({
      timeZone: 'Europe/London',
    } as Intl.ResolvedDateTimeFormatOptions);
    fetchMock.mockResolvedValue(postgrestResponse({ message: 'boom' }, { status: 500 }));
    renderWithProviders(<Page />);
    expect(await screen.findByText('Created 24 Nov 2026, 08:05')).toBeInTheDocument();
  });
});
