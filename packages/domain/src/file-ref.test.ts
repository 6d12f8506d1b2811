import { describe, expect, it } from 'vitest';
import {
  fileRefOrgId,
  FILE_NAME_MAX_LENGTH,
  isFileRef,
  sanitizeFileName,
  WORKFLOW_FILES_BUCKET,
  workflowFilePath,
} from './file-ref.ts';

const ORG = '0b8f6c2e-9d1a-4c3b-8e7f-112233445566';
const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const ref = {
  bucket: WORKFLOW_FILES_BUCKET,
  path: `${ORG}/${ID}/call.mp3`,
  name: 'call.mp3',
  size: 1234,
  mime_type: 'audio/mpeg',
};

describe('isFileRef', () => {
  it('accepts a well-formed reference', () => {
    expect(isFileRef(ref)).toBe(true);
    expect(isFileRef({ ...ref, size: 0, mime_type: '' })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'x'],
    ['an array', [ref]],
    ['no bucket', { ...ref, bucket: undefined }],
    ['empty bucket', { ...ref, bucket: '' }],
    ['no name', { ...ref, name: '' }],
    ['size as text', { ...ref, size: '12' }],
    ['negative size', { ...ref, size: -1 }],
    ['fractional size', { ...ref, size: 1.5 }],
    ['no mime type', { ...ref, mime_type: undefined }],
    ['two segments', { ...ref, path: `${ORG}/call.mp3` }],
    ['four segments', { ...ref, path: `${ORG}/${ID}/a/call.mp3` }],
    ['first folder not a uuid', { ...ref, path: `acme/${ID}/call.mp3` }],
    ['second folder not a uuid', { ...ref, path: `${ORG}/x/call.mp3` }],
    ['leading slash', { ...ref, path: `/${ORG}/${ID}/call.mp3` }],
    ['dot-dot name', { ...ref, path: `${ORG}/${ID}/..` }],
    ['backslash', { ...ref, path: `${ORG}/${ID}/a\\b` }],
    ['control character', { ...ref, path: `${ORG}/${ID}/a\u0000b` }],
  ])('refuses %s', (_label, value) => {
    expect(isFileRef(value)).toBe(false);
  });
});

describe('fileRefOrgId', () => {
  it('returns the first folder, lower-cased', () => {
    expect(fileRefOrgId(ref)).toBe(ORG);
    expect(fileRefOrgId({ path: `${ORG.toUpperCase()}/${ID}/x` })).toBe(ORG);
  });

  it('returns null when the first folder is not a uuid', () => {
    expect(fileRefOrgId({ path: 'public/x/y' })).toBeNull();
    expect(fileRefOrgId({ path: '' })).toBeNull();
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['call.mp3', 'call.mp3'],
    ['Quarterly report (v2).pdf', 'Quarterly report (v2).pdf'],
    ['a/b\\c.txt', 'a_b_c.txt'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['.hidden', 'hidden'],
    ['...', 'file'],
    ['', 'file'],
    ['tab\there', 'tab_here'],
    ['über café.wav', 'uber cafe.wav'],
    ['日本.mp3', '__.mp3'],
    ['what?*<>|:"\'.txt', 'what________.txt'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('bounds the length and keeps the extension', () => {
    const long = `${'a'.repeat(500)}.mp3`;
    const clean = sanitizeFileName(long);
    expect(clean).toHaveLength(FILE_NAME_MAX_LENGTH);
    expect(clean.endsWith('.mp3')).toBe(true);
  });
});

describe('workflowFilePath', () => {
  it('builds <organisation>/<uuid>/<name> that isFileRef accepts', () => {
    const path = workflowFilePath(ORG.toUpperCase(), ID, 'my call?.mp3');
    expect(path).toBe(`${ORG}/${ID}/my call_.mp3`);
    expect(isFileRef({ ...ref, path })).toBe(true);
    expect(fileRefOrgId({ path })).toBe(ORG);
  });

  it('refuses ids that are not uuids', () => {
    expect(() => workflowFilePath('acme', ID, 'x')).toThrow();
    expect(() => workflowFilePath(ORG, '../x', 'x')).toThrow();
  });
});
