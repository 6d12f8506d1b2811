// Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` once per metric family,
// then one `name{label="value",…} number` line per sample.

export type Labels = Record<string, string | number>;

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const formatValue = (value: number | null | undefined): string => {
  if (value === null || value === undefined || Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
};

export class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter' | 'summary' | 'histogram', help: string): this {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    this.lines.push(`# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labels: Labels, value: number | null | undefined): this {
    const entries = Object.entries(labels);
    const rendered = entries.length
      ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}`
      : '';
    this.lines.push(`${name}${rendered} ${formatValue(value)}`);
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
