// Client-side export of the filtered jobs list (issue 4, item 11).

export type CsvColumn<T> = { header: string; value: (row: T) => unknown };

// A cell starting with one of these is run as a formula by spreadsheet programs (CSV
// injection, OWASP): a leading apostrophe makes it text. Error messages and inputs come
// from users and remote systems, so they are not trusted.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = FORMULA_START.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header line plus one line per row, CRLF-separated (RFC 4180). */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [
    columns.map((column) => csvField(column.header)).join(','),
    ...rows.map((row) => columns.map((column) => csvField(column.value(row))).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** Save text as a file through the browser's download. */
export function downloadFile(filename: string, content: string, type: string) {
  // A byte-order mark so spreadsheet programs read the CSV as UTF-8.
  const blob = new Blob([type.startsWith('text/csv') ? '\ufeff' : '', content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** jobs-2026-11-22T0930.csv: sortable, no characters file systems dislike. */
export function exportFilename(extension: 'csv' | 'json', now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `jobs-${stamp}.${extension}`;
}
