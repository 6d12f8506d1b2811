import { describe, expect, it } from 'vitest';
import type { JobExportItem } from '../../api/queries';
import { csvField, exportFilename, toCsv } from '../export';
import { jobExportColumns } from '../job-export-columns';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [0, '0'],
    [false, 'false'],
    [{ payload: 'a,"b"' }, '"{""payload"":""a,\\""b\\""""}"'],
    // Spreadsheet formulas are neutralised (CSV injection).
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1', "'+1"],
    ['@sum', "'@sum"],
  ])('%j → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

const job: JobExportItem = {
  id: '60000000-0000-4000-8000-000000000001',
  organisation_id: '00000000-0000-4000-8000-000000000001',
  workflow_id: '40000000-0000-4000-8000-000000000001',
  workflow_version: 2,
  user_id: '10000000-0000-4000-8000-000000000001',
  status: 'failed',
  current_step_id: 'step1',
  error_code: 'upstream_error',
  error_message: 'Bad gateway, "twice"\nthen gave up',
  retry_count: 3,
  max_retries: 3,
  next_retry_at: null,
  started_at: '2026-11-22T09:00:01.000Z',
  completed_at: '2026-11-22T09:00:09.500Z',
  created_at: '2026-11-22T09:00:00.000Z',
  last_updated_at: '2026-11-22T09:00:09.500Z',
  input_data: { payload: 'hello, world' },
  final_result: null,
  trigger_id: null,
  sequence_task_id: null,
  flow_run_flow_id: null,
};

describe('toCsv with the jobs columns', () => {
  it('writes a header and one CRLF-terminated line per job, escaping as RFC 4180 says', () => {
    const csv = toCsv(
      [job],
      jobExportColumns(() => 'Echo, the example'),
    );
    expect(csv).toBe(
      'id,workflow_id,workflow_name,workflow_version,status,user_id,created_at,started_at,' +
        'completed_at,current_step_id,retry_count,max_retries,error_code,error_message,' +
        'input_data,final_result\r\n' +
        '60000000-0000-4000-8000-000000000001,40000000-0000-4000-8000-000000000001,' +
        '"Echo, the example",2,failed,10000000-0000-4000-8000-000000000001,' +
        '2026-11-22T09:00:00.000Z,2026-11-22T09:00:01.000Z,2026-11-22T09:00:09.500Z,step1,3,3,' +
        'upstream_error,"Bad gateway, ""twice""\nthen gave up","{""payload"":""hello, world""}",' +
        '\r\n',
    );
  });

  it('is just the header for no jobs', () => {
    expect(
      toCsv(
        [],
        jobExportColumns(() => undefined),
      ).split('\r\n'),
    ).toHaveLength(2);
  });
});

describe('exportFilename', () => {
  it('stamps the local date and time', () => {
    expect(exportFilename('json', new Date(2026, 10, 22, 9, 5))).toBe('jobs-2026-11-22T0905.json');
  });
});
