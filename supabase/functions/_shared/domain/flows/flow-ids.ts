// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { FLOW_ID_PATTERN } from './schemas.ts';

// Flow ids (issue 11, docs/projects-contract.md "Flow ids"): a flow keeps its id for life, so
// a mapping (`flow_output` of `flow1_5`) keeps pointing at the same flow however the sequence
// is reordered. An id is a positive decimal written `flow<int>[_<fraction>]`; a new flow takes
// a number between its neighbours:
//
//   first ever  flow1            tail after x      flow<floor(x)+1>
//   between     the midpoint     head before x     flow<ceil(x)-1> when that is ≥ 1,
//   (flow1, flow2) → flow1_5                       else the midpoint of 0 and x (flow0_5)
//
// Midpoints, not the shortest decimal in between, because the contract names them
// (flow1 / flow1_5 → flow1_25) and each insertion then adds exactly one digit. The
// arithmetic is on BigInt scaled integers: a float would print flow1_2500000000000001 or,
// after ~50 insertions at one spot, give an id equal to a neighbour.

/** A flow id as an exact decimal: `digits / 10^scale`. */
type Decimal = { digits: bigint; scale: number };

export class FlowIdError extends Error {
  override name = 'FlowIdError';
}

function parse(id: string): Decimal {
  const match = FLOW_ID_PATTERN.exec(id);
  if (!match) throw new FlowIdError(`"${id}" is not a flow id (flow1, flow1_5, …)`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').slice(1); // without the _
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

/** Both at the larger scale, so their digits compare and add directly. */
function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [
    a.digits * 10n ** BigInt(scale - a.scale),
    b.digits * 10n ** BigInt(scale - b.scale),
    scale,
  ];
}

function format({ digits, scale }: Decimal): string {
  // Drop trailing zeros of the fraction: flow1_50 is flow1_5 (the pattern refuses the first).
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  const unit = 10n ** BigInt(scale);
  const whole = digits / unit;
  if (scale === 0) return `flow${whole}`;
  const fraction = (digits % unit).toString().padStart(scale, '0');
  return `flow${whole}_${fraction}`;
}

function midpoint(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  // One more digit always holds the half: (x + y) * 10 / 2 = (x + y) * 5.
  return { digits: (x + y) * 5n, scale: scale + 1 };
}

const floor = ({ digits, scale }: Decimal): bigint => digits / 10n ** BigInt(scale);
const ceil = (d: Decimal): bigint =>
  d.digits % 10n ** BigInt(d.scale) === 0n ? floor(d) : floor(d) + 1n;

/** True when `id` is a well-formed flow id. */
export function isFlowId(id: string): boolean {
  return FLOW_ID_PATTERN.test(id);
}

/** Orders flow ids by their numeric value (flow1 < flow1_25 < flow1_5 < flow2 < flow10). */
export function compareFlowIds(a: string, b: string): number {
  const [x, y] = aligned(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The id of a flow inserted between `before` and `after` (null: no neighbour on that side).
 * Throws FlowIdError for a malformed id, for `before` not below `after`, and for a head
 * before flow0 (ids are positive, so nothing fits there).
 */
export function flowIdBetween(before: string | null, after: string | null): string {
  const low = before === null ? null : parse(before);
  const high = after === null ? null : parse(after);
  if (low === null && high === null) return 'flow1';
  if (high === null) return `flow${floor(low!) + 1n}`;
  if (low === null) {
    const below = ceil(high) - 1n;
    if (below >= 1n) return `flow${below}`;
    if (high.digits === 0n) throw new FlowIdError(`No flow id comes before ${after}`);
    return format(midpoint({ digits: 0n, scale: 0 }, high));
  }
  if (compareFlowIds(before!, after!) >= 0) {
    throw new FlowIdError(`${before} must come before ${after} to insert between them`);
  }
  return format(midpoint(low, high));
}

/** The id of a flow added at the end of a sequence whose flows have `ids` (in any order). */
export function nextFlowIdAtTail(ids: readonly string[]): string {
  if (ids.length === 0) return 'flow1';
  const last = ids.reduce((max, id) => (compareFlowIds(id, max) > 0 ? id : max));
  return flowIdBetween(last, null);
}
