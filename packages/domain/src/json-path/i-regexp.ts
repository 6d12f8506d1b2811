import { RE2JS } from 're2js';

// I-Regexp (RFC 9485), the regular expressions JSONPath's match() and search() take
// (RFC 9535 section 2.4.6). A pattern is checked against the RFC's grammar and translated to
// RE2 syntax in the same pass, then compiled by re2js, a pure-JS port of RE2: its matching is
// linear in the subject's length whatever the pattern, so `(a+)+b` over a long run of `a`s
// cannot stall the orchestrator the way a backtracking RegExp does (measured with V8's
// RegExp: 30 `a`s, over 3 s; each further `a` doubles it). RE2 is a superset of I-Regexp
// except that it caps a counted repetition at 1000, which we keep as a cost bound: a pattern
// above it is rejected when the workflow is saved.
//
// Linear is not cheap: re2js simulates an NFA, so a match costs up to (subject length) ×
// (program size) steps, and a big program over a big string still takes seconds
// (`(a|aa){1,1000}[b-d]`, 5,002 instructions, searched over 100,000 `a`s: 7.3 s). So each
// path evaluation has a budget of REGEX_BUDGET such units across all its match()/search()
// calls; past it the evaluation throws RegexBudgetError and the mapping fails (the same way
// on every attempt) instead of holding the orchestrator.
//
// Two choices the RFC leaves to us, made as the JSONPath compliance suite expects: `^` and
// `$` anchor at the start and end of the subject (the suite's "explicit caret/dollar"
// cases), and `.` matches any code point but \n and \r (RFC 9485 section 5.3).

export class IRegexpError extends Error {
  override name = 'IRegexpError';
}

/**
 * Regex work allowed per path evaluation, in subject UTF-16 units × RE2 program
 * instructions. Measured on this 2-CPU machine, re2js takes 2 to 72 ns per unit depending on
 * the pattern (72 for `(a|aa){1,1000}[b-d]`), so the budget stops a path after ~0.4 s at
 * worst, and leaves room for the usual (a 20-instruction pattern over 250,000 characters).
 */
export const REGEX_BUDGET = 5_000_000;

export class RegexBudgetError extends Error {
  override name = 'RegexBudgetError';
}

let remaining = REGEX_BUDGET;

/** Starts a path evaluation's regex budget afresh (json-path.ts calls it per query). */
export function resetRegexBudget(): void {
  remaining = REGEX_BUDGET;
}

const CATEGORIES = new Set([
  ...['L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu'],
  ...['M', 'Mc', 'Me', 'Mn'],
  ...['N', 'Nd', 'Nl', 'No'],
  ...['P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps'],
  ...['Z', 'Zl', 'Zp', 'Zs'],
  ...['S', 'Sc', 'Sk', 'Sm', 'So'],
  ...['C', 'Cc', 'Cf', 'Cn', 'Co'],
]);

// SingleCharEsc: \ followed by one of these.
const SINGLE_CHAR_ESCAPES = new Set([...'()*+-.?[\\]^nrt{|}']);
// Characters that are syntax outside a class; everything else is a NormalChar.
const SYNTAX = new Set([...'()*+.?[\\]{|}']);

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;
// Escapes an ASCII punctuation character for RE2 (RE2 accepts \ before any punctuation).
const literal = (ch: string) => (/^[!-/:-@[-`{-~]$/.test(ch) ? `\\${ch}` : ch);

class Translator {
  private readonly chars: string[];
  private pos = 0;

  constructor(pattern: string) {
    this.chars = [...pattern]; // code points, so a surrogate pair is one character
  }

  translate(): string {
    const out = this.branches();
    if (this.pos < this.chars.length) this.fail(`unexpected "${this.peek()}"`);
    return out;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private fail(reason: string): never {
    throw new IRegexpError(`${reason} at position ${this.pos}`);
  }

  private branches(): string {
    const parts = [this.branch()];
    while (this.peek() === '|') {
      this.pos++;
      parts.push(this.branch());
    }
    return parts.join('|');
  }

  private branch(): string {
    let out = '';
    for (let ch = this.peek(); ch !== undefined && ch !== '|' && ch !== ')'; ch = this.peek()) {
      out += this.atom() + this.quantifier();
    }
    return out;
  }

  private quantifier(): string {
    const ch = this.peek();
    if (ch === '*' || ch === '+' || ch === '?') {
      this.pos++;
      return ch;
    }
    if (ch !== '{') return '';
    this.pos++;
    const min = this.digits();
    let out = `{${min}`;
    if (this.peek() === ',') {
      this.pos++;
      out += `,${this.peek() === '}' ? '' : this.digits()}`;
    }
    if (this.peek() !== '}') this.fail('expected } to close the quantifier');
    this.pos++;
    return `${out}}`;
  }

  private digits(): string {
    let out = '';
    for (let ch = this.peek(); ch !== undefined && ch >= '0' && ch <= '9'; ch = this.peek()) {
      out += ch;
      this.pos++;
    }
    if (!out) this.fail('expected a number in the quantifier');
    return out;
  }

  private atom(): string {
    const ch = this.peek() as string;
    if (ch === '(') {
      this.pos++;
      const inner = this.branches();
      if (this.peek() !== ')') this.fail('expected )');
      this.pos++;
      return `(?:${inner})`;
    }
    if (ch === '.') {
      this.pos++;
      return '[^\\n\\r]';
    }
    if (ch === '[') return this.charClassExpr();
    if (ch === '\\') return this.escape();
    if (SYNTAX.has(ch)) this.fail(`"${ch}" must be escaped here`);
    if (isSurrogate(ch.codePointAt(0) as number)) this.fail('lone surrogate');
    this.pos++;
    // `^` and `$` stay anchors (see the header); every other NormalChar is a literal.
    return ch === '^' || ch === '$' ? ch : literal(ch);
  }

  /** SingleCharEsc or charClassEsc, starting at the backslash. */
  private escape(): string {
    this.pos++;
    const ch = this.peek();
    if (ch === undefined) this.fail('trailing \\');
    if (ch === 'p' || ch === 'P') {
      this.pos++;
      if (this.peek() !== '{') this.fail(`expected { after \\${ch}`);
      let name = '';
      for (this.pos++; this.peek() !== undefined && this.peek() !== '}'; this.pos++) {
        name += this.peek();
      }
      if (this.peek() !== '}' || !CATEGORIES.has(name))
        this.fail(`\\${ch}{${name}} is not a Unicode category I-Regexp knows`);
      this.pos++;
      return `\\${ch}{${name}}`;
    }
    if (!SINGLE_CHAR_ESCAPES.has(ch)) this.fail(`\\${ch} is not an I-Regexp escape`);
    this.pos++;
    return `\\${ch}`; // RE2 reads \n \r \t and escaped punctuation the same way
  }

  // "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
  private charClassExpr(): string {
    this.pos++;
    let out = '[';
    if (this.peek() === '^') {
      this.pos++;
      out += '^';
    }
    let first = true;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail('unterminated character class');
      if (ch === ']') {
        if (first) this.fail('empty character class');
        this.pos++;
        return `${out}]`;
      }
      if (ch === '-') {
        // Only first or last in the class.
        this.pos++;
        if (!first && this.peek() !== ']') this.fail('"-" must be first or last in a class');
        out += '\\-';
      } else if (
        ch === '\\' &&
        (this.chars[this.pos + 1] === 'p' || this.chars[this.pos + 1] === 'P')
      ) {
        out += this.escape();
      } else {
        out += this.classChar();
        if (this.peek() === '-' && this.chars[this.pos + 1] !== ']') {
          this.pos++;
          out += `-${this.classChar()}`;
        }
      }
      first = false;
    }
  }

  // CCchar: any code point but "-", "[", "\", "]", or a SingleCharEsc.
  private classChar(): string {
    const ch = this.peek();
    if (ch === undefined) this.fail('unterminated character class');
    if (ch === '\\') {
      const out = this.escape();
      if (out.startsWith('\\p') || out.startsWith('\\P'))
        this.fail('a category cannot end a range');
      return out;
    }
    if (ch === '-' || ch === '[' || ch === ']') this.fail(`"${ch}" must be escaped in a class`);
    if (isSurrogate(ch.codePointAt(0) as number)) this.fail('lone surrogate');
    this.pos++;
    return literal(ch);
  }
}

/** The RE2 translation of an I-Regexp; throws IRegexpError if it is not one or RE2 refuses it. */
export function translateIRegexp(pattern: string): string {
  const translated = new Translator(pattern).translate();
  try {
    RE2JS.compile(translated);
  } catch (error) {
    throw new IRegexpError(`RE2 refuses it: ${(error as Error).message}`);
  }
  return translated;
}

/** Null when the pattern is an I-Regexp RE2 accepts, else why not. */
export function iRegexpProblem(pattern: string): string | null {
  try {
    translateIRegexp(pattern);
    return null;
  } catch (error) {
    if (error instanceof IRegexpError) return error.message;
    throw error;
  }
}

// A handful of patterns recur across a filter's nodes (usually one literal): keep their
// compiled programs. Bounded so patterns read from the document cannot grow it.
const CACHE_SIZE = 32;
const cache = new Map<string, { re: RE2JS; size: number } | null>();

function compiled(pattern: string): { re: RE2JS; size: number } | null {
  if (cache.has(pattern)) return cache.get(pattern) ?? null;
  let entry: { re: RE2JS; size: number } | null;
  try {
    const re = RE2JS.compile(translateIRegexp(pattern));
    entry = { re, size: re.programSize() };
  } catch (error) {
    if (!(error instanceof IRegexpError)) throw error;
    entry = null;
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, entry);
  return entry;
}

/** The compiled pattern, once its cost over `subject` is taken from the budget. */
function charged(subject: string, pattern: string): RE2JS | null {
  const entry = compiled(pattern);
  if (entry === null) return null;
  remaining -= subject.length * entry.size;
  if (remaining < 0) {
    throw new RegexBudgetError(
      `match()/search() would cost more than ${REGEX_BUDGET.toLocaleString('en')} steps (pattern '${pattern}', ${entry.size} instructions, over ${subject.length.toLocaleString('en')} characters)`,
    );
  }
  return entry.re;
}

/**
 * RFC 9535 match(): true when the whole of `subject` matches `pattern`. A pattern that is not
 * an I-Regexp (possible only when it comes from the document) gives false, as the RFC says.
 */
export function iRegexpMatch(subject: string, pattern: string): boolean {
  return charged(subject, pattern)?.matches(subject) ?? false;
}

/** RFC 9535 search(): true when some substring of `subject` matches `pattern`. */
export function iRegexpSearch(subject: string, pattern: string): boolean {
  return charged(subject, pattern)?.test(subject) ?? false;
}
