import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs`, so what a page says about time ("2 minutes
 * ago", "Overdue", "Today") stays true on a page left open.
 */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
