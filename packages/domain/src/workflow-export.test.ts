import { describe, expect, it } from 'vitest';
import {
  alternativeWorkflowKey,
  parseWorkflowExport,
  toWorkflowExport,
  WORKFLOW_EXPORT_MAX_BYTES,
  workflowExportFileName,
} from './workflow-export.ts';

const DEFINITION = {
  start_step: 'step1',
  steps: { step1: { transformer_id: 'echo-transformer', input_map: {}, next_step: null } },
};

const valid = {
  format: 'forkflow.workflow',
  version: 1,
  key: 'call-transcripts',
  name: 'Call transcripts',
  description: null,
  definition: DEFINITION,
  retry_policy: { max_retries: 3 },
};

const problems = (value: unknown) => {
  const result = parseWorkflowExport(typeof value === 'string' ? value : JSON.stringify(value));
  return result.ok ? [] : result.errors;
};

describe('workflow export files', () => {
  it('an export of a workflow row parses back to the same content, ids and authors left out', () => {
    const row = {
      id: '0b8f6c2e-9d1a-4c3b-8e7f-112233445566',
      organisation_id: '0b8f6c2e-9d1a-4c3b-8e7f-112233445567',
      created_by: null,
      version: 4,
      key: 'call-transcripts',
      name: 'Call transcripts',
      description: 'Transcribes calls',
      definition: DEFINITION,
      retry_policy: { max_retries: 5 },
    };
    const exported = toWorkflowExport(row);
    expect(Object.keys(exported)).toEqual([
      'format',
      'version',
      'key',
      'name',
      'description',
      'definition',
      'retry_policy',
    ]);
    const parsed = parseWorkflowExport(JSON.stringify(exported));
    expect(parsed).toEqual({
      ok: true,
      value: {
        format: 'forkflow.workflow',
        version: 1,
        key: 'call-transcripts',
        name: 'Call transcripts',
        description: 'Transcribes calls',
        definition: DEFINITION,
        retry_policy: { max_retries: 5 },
      },
    });
    expect(workflowExportFileName(row.key)).toBe('call-transcripts.workflow.json');
  });

  it('a valid file parses', () => {
    expect(parseWorkflowExport(JSON.stringify(valid)).ok).toBe(true);
  });

  it('text that is not JSON is refused', () => {
    expect(problems('{ "format": ')).toEqual([{ path: [], message: 'The file is not valid JSON' }]);
  });

  it('a file over the size limit is refused before parsing', () => {
    const big = JSON.stringify({ ...valid, description: 'x'.repeat(WORKFLOW_EXPORT_MAX_BYTES) });
    expect(problems(big)[0]?.message).toMatch(/larger than 1 MiB/);
  });

  it.each([
    ['an array', [valid], []],
    ['another format', { ...valid, format: 'n8n.workflow' }, ['format']],
    ['a missing format', { ...valid, format: undefined }, ['format']],
    ['another version', { ...valid, version: 2 }, ['version']],
    ['a key with capitals', { ...valid, key: 'Call' }, ['key']],
    ['a key of 64 characters', { ...valid, key: 'a'.repeat(64) }, ['key']],
    ['a blank name', { ...valid, name: '   ' }, ['name']],
    ['a name of 121 characters', { ...valid, name: 'n'.repeat(121) }, ['name']],
    ['a missing description', { ...valid, description: undefined }, ['description']],
    ['a definition that is an array', { ...valid, definition: [] }, ['definition']],
    ['a retry_policy that is a string', { ...valid, retry_policy: 'often' }, ['retry_policy']],
    ['an unknown field', { ...valid, organisation_id: 'x' }, []],
  ])('%s is refused', (_label, value, path) => {
    const errors = problems(value);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.path).toEqual(path);
  });

  it('every problem is reported at once', () => {
    const errors = problems({ ...valid, key: 'Bad Key', name: '', definition: 1 });
    expect(errors.map((e) => e.path[0]).sort()).toEqual(['definition', 'key', 'name']);
  });
});

describe('alternativeWorkflowKey', () => {
  it('adds -n', () => {
    expect(alternativeWorkflowKey('call-transcripts', 2)).toBe('call-transcripts-2');
  });

  it('shortens a long key so the result fits 63 characters, dropping a dangling separator', () => {
    const key = `${'a'.repeat(61)}-b`;
    expect(alternativeWorkflowKey(key, 2)).toBe(`${'a'.repeat(61)}-2`);
    expect(alternativeWorkflowKey('a'.repeat(63), 10)).toBe(`${'a'.repeat(60)}-10`);
  });
});
