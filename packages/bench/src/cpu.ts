// CPU time the stack's processes spend during a measurement, from /proc (Linux only; an empty
// reading elsewhere). It says which part is the ceiling: on two cores, one process near 100 %
// of a core while the others idle is the bottleneck, whatever the queue does.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime, and cutime + cstime (children already waited for), in ticks. */
  own: number;
  children: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command, which is in parentheses and may contain spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number): number => Number(f[i]);
    // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    return { ppid: n(1), own: n(11) + n(12), children: n(13) + n(14) };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of a process and its children: its own time, its reaped children's, and its live
 * children's (Postgres backends are children of the postmaster).
 */
function cpuMs(pid: number, live: Map<number, Stat>): number {
  const self = stat(pid);
  if (!self) return NaN;
  let ticks = self.own + self.children;
  for (const s of live.values()) if (s.ppid === pid) ticks += s.own;
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function liveProcesses(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return all;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = stat(Number(e));
    if (s) all.set(Number(e), s);
  }
  return all;
}

export type CpuReading = Record<string, number>;

/** CPU ms so far of each named process (with its children), and of this process. */
export function readCpu(pids: Record<string, number>): CpuReading {
  const live = liveProcesses();
  const reading: CpuReading = {};
  for (const [name, pid] of Object.entries(pids)) reading[name] = cpuMs(pid, live);
  const me = process.cpuUsage();
  reading.bench = (me.user + me.system) / 1000;
  return reading;
}

/** Share of one core each process used between two readings `ms` apart. */
export function coreShares(before: CpuReading, after: CpuReading, ms: number): CpuReading {
  const shares: CpuReading = {};
  for (const name of Object.keys(after)) shares[name] = (after[name]! - before[name]!) / ms;
  return shares;
}

export const formatShares = (shares: CpuReading): string =>
  Object.entries(shares)
    .filter(([, v]) => Number.isFinite(v))
    .map(([name, v]) => `${name} ${(v * 100).toFixed(0)} %`)
    .join(', ');
