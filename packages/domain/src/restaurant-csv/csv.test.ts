import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, serialiseCsv, sniffDelimiter } from './csv.ts';

describe('parseCsv', () => {
  it.each([
    [
      'plain rows',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF line ends',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a lone CR line end',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no trailing newline',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['a quoted delimiter', '"a,b",c', [['a,b', 'c']]],
    ['an escaped quote', '"say ""hi""",x', [['say "hi"', 'x']]],
    [
      'a line break inside quotes',
      '"line 1\r\nline 2",x\ny,z',
      [
        ['line 1\r\nline 2', 'x'],
        ['y', 'z'],
      ],
    ],
    ['empty fields', ',,\n', [['', '', '']]],
    ['an empty quoted field', '"",a', [['', 'a']]],
    ['blank lines dropped', 'a\n\n\nb\n\n', [['a'], ['b']]],
    [
      'a BOM',
      '\uFEFFname,city\nx,y',
      [
        ['name', 'city'],
        ['x', 'y'],
      ],
    ],
    ['a quote inside an unquoted field kept', 'ab"c,d', [['ab"c', 'd']]],
    ['text after a closing quote kept', '"ab"c,d', [['abc', 'd']]],
    ['a trailing delimiter at the end', 'a,', [['a', '']]],
    ['a trailing delimiter before a newline', 'a,\nb', [['a', ''], ['b']]],
    ['an unclosed quote running to the end', '"open,\nstill', [['open,\nstill']]],
    ['nothing', '', []],
  ])('reads %s', (_title, text, rows) => {
    expect(parseCsv(text).rows).toEqual(rows);
  });

  it('sniffs a semicolon delimiter (Excel in comma-decimal locales)', () => {
    const parsed = parseCsv('name;city;notes\n"Chez A; B";Paris;"1,5 stars"\n');
    expect(parsed.delimiter).toBe(';');
    expect(parsed.rows).toEqual([
      ['name', 'city', 'notes'],
      ['Chez A; B', 'Paris', '1,5 stars'],
    ]);
  });

  it('sniffs from the first line only, ignoring quoted delimiters', () => {
    expect(sniffDelimiter('"a;b;c",d\n1;2;3;4')).toBe(',');
    expect(sniffDelimiter('only')).toBe(',');
  });
});

describe('serialiseCsv', () => {
  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['a;b', '"a;b"'],
    ['two\nlines', '"two\nlines"'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes numbers and empty values as they are', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('round-trips through parseCsv with CRLF line ends', () => {
    const rows = [
      ['Name', 'Notes'],
      ['Chez "Marie"', 'line 1\r\nline 2'],
      ['Café, Bar', ''],
    ];
    const text = serialiseCsv(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text).rows).toEqual(rows);
  });
});
