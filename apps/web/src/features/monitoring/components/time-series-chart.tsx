import { useEffect, useRef, useState } from 'react';

export type ChartSeries = { name: string; className: string; swatch: string };

type Props = {
  title: string;
  /** One entry per bucket: its start and one value per series (null = no data). */
  points: { t: number; values: (number | null)[] }[];
  series: ChartSeries[];
  kind: 'bar' | 'line';
  formatValue: (value: number) => string;
  formatTime: (t: number) => string;
  /** Labels under the x axis use this (shorter) format. */
  formatTick: (t: number) => string;
  /** A fixed top for the y axis (e.g. 1 for rates); otherwise from the data. */
  yMax?: number;
};

const HEIGHT = 180;
const PAD = { top: 12, right: 12, bottom: 24, left: 48 };

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** A round number at or above `value` (1, 2, 5 × 10^n), so the axis reads easily. */
export function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((n) => n * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * A small responsive SVG chart (bars or lines) with an accessible summary and the data
 * as a table behind a disclosure. Hand-rolled: four charts don't justify a chart library.
 */
export function TimeSeriesChart({
  title,
  points,
  series,
  kind,
  formatValue,
  formatTime,
  formatTick,
  yMax,
}: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const innerWidth = width - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const values = points.flatMap((point) =>
    point.values.filter((value): value is number => value !== null),
  );
  const top = yMax ?? niceCeil(Math.max(0, ...values));
  const x = (index: number) =>
    PAD.left + (points.length <= 1 ? innerWidth / 2 : (index / (points.length - 1)) * innerWidth);
  const y = (value: number) => PAD.top + innerHeight - (Math.min(value, top) / top) * innerHeight;
  const slot = innerWidth / Math.max(1, points.length);
  const barWidth = Math.max(1, (slot * 0.7) / series.length);
  const ticks = [0, top / 2, top];
  const labelEvery = Math.max(
    1,
    Math.ceil(points.length / Math.max(2, Math.floor(innerWidth / 70))),
  );
  // Zero is data for a line (0% failures); an all-zero bar chart shows nothing.
  const hasData = values.length > 0 && (kind === 'line' || values.some((value) => value > 0));

  const latest = [...points].reverse().find((point) => point.values.some((v) => v !== null));
  const summary = latest
    ? `${title}: latest ${series
        .map((s, index) => {
          const value = latest.values[index];
          return `${s.name} ${value === null || value === undefined ? 'no data' : formatValue(value)}`;
        })
        .join(', ')} (${formatTime(latest.t)}).`
    : `${title}: no data in this range.`;

  return (
    <figure className="min-w-0 rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200">
      <figcaption className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-semibold text-slate-900">{title}</span>
        {series.length > 1 ? (
          <span className="flex flex-wrap gap-3 text-xs text-slate-600">
            {series.map((s) => (
              <span key={s.name} className="inline-flex items-center gap-1.5">
                <span aria-hidden className={`size-2.5 rounded-sm ${s.swatch}`} />
                {s.name}
              </span>
            ))}
          </span>
        ) : null}
      </figcaption>
      <div ref={ref} className="relative mt-2">
        <svg
          width={width}
          height={HEIGHT}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          role="img"
          aria-label={summary}
          className="block max-w-full"
        >
          {ticks.map((tick) => (
            <g key={tick}>
              <line
                x1={PAD.left}
                x2={width - PAD.right}
                y1={y(tick)}
                y2={y(tick)}
                className="stroke-slate-200"
                strokeDasharray={tick === 0 ? undefined : '3 3'}
              />
              <text
                x={PAD.left - 6}
                y={y(tick)}
                textAnchor="end"
                dominantBaseline="middle"
                className="fill-slate-500 text-[10px]"
              >
                {formatValue(tick)}
              </text>
            </g>
          ))}
          {points.map((point, index) =>
            index % labelEvery === 0 ? (
              <text
                key={point.t}
                x={kind === 'bar' ? PAD.left + slot * (index + 0.5) : x(index)}
                y={HEIGHT - 6}
                textAnchor="middle"
                className="fill-slate-500 text-[10px]"
              >
                {formatTick(point.t)}
              </text>
            ) : null,
          )}
          {kind === 'bar'
            ? points.map((point, index) =>
                series.map((s, seriesIndex) => {
                  const value = point.values[seriesIndex];
                  if (value === null || value === undefined || value <= 0) return null;
                  const left = PAD.left + slot * index + slot * 0.15 + seriesIndex * barWidth;
                  return (
                    <rect
                      key={`${point.t}-${s.name}`}
                      x={left}
                      y={y(value)}
                      width={barWidth}
                      height={PAD.top + innerHeight - y(value)}
                      rx={1.5}
                      className={s.className}
                    >
                      <title>{`${formatTime(point.t)} · ${s.name}: ${formatValue(value)}`}</title>
                    </rect>
                  );
                }),
              )
            : series.map((s, seriesIndex) => {
                // Gaps (null) break the line rather than pretending to be zero.
                const segments: string[] = [];
                let current = '';
                points.forEach((point, index) => {
                  const value = point.values[seriesIndex];
                  if (value === null || value === undefined) {
                    if (current) segments.push(current);
                    current = '';
                    return;
                  }
                  current += `${current ? 'L' : 'M'}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
                });
                if (current) segments.push(current);
                return (
                  <g key={s.name} className={s.className}>
                    {segments.map((d) => (
                      <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth={2} />
                    ))}
                    {points.map((point, index) => {
                      const value = point.values[seriesIndex];
                      if (value === null || value === undefined) return null;
                      return (
                        <circle
                          key={point.t}
                          cx={x(index)}
                          cy={y(value)}
                          r={points.length > 40 ? 1.5 : 2.5}
                          fill="currentColor"
                        >
                          <title>{`${formatTime(point.t)} · ${s.name}: ${formatValue(value)}`}</title>
                        </circle>
                      );
                    })}
                  </g>
                );
              })}
        </svg>
        {hasData ? null : (
          <p className="absolute inset-0 flex items-center justify-center text-sm text-slate-500">
            No data in this range
          </p>
        )}
      </div>
      <details className="mt-2">
        <summary className="cursor-pointer text-xs font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
          Show as a table<span className="sr-only">{`: ${title}`}</span>
        </summary>
        <div className="mt-2 max-h-60 overflow-auto">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="py-1 pr-3 font-medium">
                  From
                </th>
                {series.map((s) => (
                  <th key={s.name} scope="col" className="py-1 pr-3 font-medium">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {points.map((point) => (
                <tr key={point.t}>
                  <th
                    scope="row"
                    className="py-1 pr-3 font-normal whitespace-nowrap text-slate-600"
                  >
                    {formatTime(point.t)}
                  </th>
                  {point.values.map((value, index) => (
                    <td key={series[index]?.name ?? index} className="py-1 pr-3 tabular-nums">
                      {value === null ? '—' : formatValue(value)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
