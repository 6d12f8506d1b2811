// A small JSON parser that remembers where each value starts, so the definition editor
// can say "line 7" next to an error at steps.step1.input_map.data. JSON.parse gives
// neither locations nor a uniform error position across browsers.

export type JsonLocation = { line: number; column: number; offset: number };

export type JsonPath = (string | number)[];

export type LocatedJson =
  | { ok: true; value: unknown; locate: (path: JsonPath) => JsonLocation | null }
  | { ok: false; message: string; location: JsonLocation };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const pathKey = (path: JsonPath) => JSON.stringify(path);

export function locationAt(text: string, offset: number): JsonLocation {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text[index] === '\n') {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonWithLocations(text: string): LocatedJson {
  const offsets = new Map<string, number>();
  let index = 0;

  const skipWhitespace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index++;
  };
  const describe = () =>
    index >= text.length ? 'the end of the text' : `“${text[index] as string}”`;

  const parseString = (): string => {
    const start = index;
    index++; // opening quote
    while (index < text.length && text[index] !== '"') {
      if (text[index] === '\\') index++;
      else if (text[index] === '\n') throw new JsonSyntaxError('Unterminated string', start);
      index++;
    }
    if (index >= text.length) throw new JsonSyntaxError('Unterminated string', start);
    index++; // closing quote
    try {
      return JSON.parse(text.slice(start, index)) as string;
    } catch {
      throw new JsonSyntaxError('Invalid escape or control character in a string', start);
    }
  };

  const parseValue = (path: JsonPath): unknown => {
    skipWhitespace();
    offsets.set(pathKey(path), index);
    const char = text[index];
    if (char === '{') {
      index++;
      const result: Record<string, unknown> = {};
      skipWhitespace();
      if (text[index] === '}') {
        index++;
        return result;
      }
      for (;;) {
        skipWhitespace();
        if (text[index] !== '"') {
          throw new JsonSyntaxError(
            `Expected a property name in double quotes, found ${describe()}`,
            index,
          );
        }
        const keyOffset = index;
        const key = parseString();
        skipWhitespace();
        if (text[index] !== ':') {
          throw new JsonSyntaxError(`Expected “:” after "${key}", found ${describe()}`, index);
        }
        index++;
        const childPath = [...path, key];
        result[key] = parseValue(childPath);
        // Point at the key rather than the value: that is where the eye looks.
        offsets.set(pathKey(childPath), keyOffset);
        skipWhitespace();
        if (text[index] === ',') {
          index++;
          skipWhitespace();
          if (text[index] === '}') throw new JsonSyntaxError('Trailing comma', index - 1);
          continue;
        }
        if (text[index] === '}') {
          index++;
          return result;
        }
        throw new JsonSyntaxError(`Expected “,” or “}”, found ${describe()}`, index);
      }
    }
    if (char === '[') {
      index++;
      const result: unknown[] = [];
      skipWhitespace();
      if (text[index] === ']') {
        index++;
        return result;
      }
      for (;;) {
        result.push(parseValue([...path, result.length]));
        skipWhitespace();
        if (text[index] === ',') {
          index++;
          skipWhitespace();
          if (text[index] === ']') throw new JsonSyntaxError('Trailing comma', index - 1);
          continue;
        }
        if (text[index] === ']') {
          index++;
          return result;
        }
        throw new JsonSyntaxError(`Expected “,” or “]”, found ${describe()}`, index);
      }
    }
    if (char === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, index)) {
        index += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = index;
    const number = NUMBER.exec(text);
    if (number) {
      index += number[0].length;
      return Number(number[0]);
    }
    throw new JsonSyntaxError(`Expected a value, found ${describe()}`, index);
  };

  try {
    const value = parseValue([]);
    skipWhitespace();
    if (index < text.length) {
      throw new JsonSyntaxError(`Unexpected ${describe()} after the end of the JSON`, index);
    }
    return {
      ok: true,
      value,
      locate: (path) => {
        // The deepest part of the path that exists (an error may name a missing key).
        for (let length = path.length; length >= 0; length--) {
          const offset = offsets.get(pathKey(path.slice(0, length)));
          if (offset !== undefined) return locationAt(text, offset);
        }
        return null;
      },
    };
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return { ok: false, message: error.message, location: locationAt(text, error.offset) };
    }
    throw error;
  }
}

/** steps.step1.input_map.data; indexes as [0]; keys that aren't plain names quoted. */
export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '(the definition)';
  return path
    .map((part, position) => {
      if (typeof part === 'number') return `[${part}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) return position === 0 ? part : `.${part}`;
      return `[${JSON.stringify(part)}]`;
    })
    .join('');
}
