// Every function reads its request body under a byte limit (issue 10 §6: complete-task read
// 64 MiB before answering 400): through readBody (_shared/request.ts) or readCapped
// (_shared/read-capped.ts), never Request.json/text/arrayBuffer/formData/blob, which read
// whatever arrives. A static check over the sources, so a new function cannot forget it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const functionsDir = join(import.meta.dirname, '..', 'functions');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'domain' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

// A request's body read whole without a limit. Responses (fetch results) are allowed: the
// executors cap those with readCapped themselves where it matters.
const UNBOUNDED = /\breq(?:uest)?\.(?:json|text|arrayBuffer|formData|blob)\(\)/;

describe('function request bodies', () => {
  it('no function reads a request body without a limit', () => {
    const offenders = sources(functionsDir)
      .filter((file) => UNBOUNDED.test(readFileSync(file, 'utf8')))
      .map((file) => relative(functionsDir, file));
    expect(offenders).toEqual([]);
  });
});
