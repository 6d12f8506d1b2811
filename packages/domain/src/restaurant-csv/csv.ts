// CSV as spreadsheets write it (RFC 4180): quoted fields may hold the delimiter, line
// breaks and doubled quotes; lines end in CRLF or LF; Excel adds a UTF-8 BOM and, in
// locales where the comma is the decimal mark, separates with ';'. Pure, so the web
// page, the bench and the tests parse the same way.

export type CsvDelimiter = ',' | ';';

export type ParsedCsv = { delimiter: CsvDelimiter; rows: string[][] };

const BOM = '\uFEFF';

/**
 * The delimiter of the first line: whichever of ',' and ';' appears more often outside
 * quotes. A one-column file has neither and reads as ','.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text.startsWith(BOM) ? text.slice(1) : text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas += 1;
    else if (!quoted && char === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Rows of fields. Blank lines are dropped (a trailing newline, or a spreadsheet's empty
 * rows at the end); a quote inside an unquoted field is kept as text rather than
 * rejected, the way spreadsheets read it.
 */
export function parseCsv(text: string, delimiter?: CsvDelimiter): ParsedCsv {
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const sep = delimiter ?? sniffDelimiter(source);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  // Whether the current field began with a quote (only then do quotes delimit it).
  let inQuotes = false;
  let fieldStarted = false;

  const endField = () => {
    row.push(field);
    field = '';
    quoted = false;
    inQuotes = false;
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };

  for (let i = 0; i < source.length; i += 1) {
    const char = source[i]!;
    if (inQuotes) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          inQuotes = false;
        }
      } else {
        field += char;
      }
      continue;
    }
    if (char === '"' && !fieldStarted) {
      inQuotes = true;
      quoted = true;
      fieldStarted = true;
    } else if (char === sep) {
      endField();
    } else if (char === '\r') {
      if (source[i + 1] === '\n') i += 1;
      endRow();
    } else if (char === '\n') {
      endRow();
    } else {
      // Text after a closing quote ("ab"c) is kept, as spreadsheets do.
      field += char;
      fieldStarted = true;
    }
  }
  if (field !== '' || quoted || row.length > 0) endRow();
  return { delimiter: sep, rows };
}

// A cell that starts with one of these is a formula to Excel, LibreOffice and Sheets
// (OWASP "CSV injection"): a restaurant named "=HYPERLINK(…)" must open as text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as CSV text: formula-looking values get a leading ', then quoting as needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text with CRLF line ends (RFC 4180), the header first. */
export function serialiseCsv(
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
