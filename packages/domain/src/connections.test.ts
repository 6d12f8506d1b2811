import { describe, expect, it } from 'vitest';
import {
  connectionHostProblem,
  connectionInputSchema,
  normaliseConnectionHost,
} from './connections';

describe('connection hosts', () => {
  it.each(['api.crm.com', '*.crm.com', '127.0.0.1', 'localhost', 'a-b.c-d.example'])(
    '%s is accepted',
    (host) => expect(connectionHostProblem(host)).toBeNull(),
  );

  it.each([
    ['', 'Enter a host'],
    ['https://api.crm.com', 'without http'],
    ['api.crm.com/hooks', 'without a path'],
    ['api.crm.com:8443', 'without a port'],
    ['*', 'Use letters'],
    ['api.*.com', 'Use letters'],
    ['-api.crm.com', 'Use letters'],
    ['api..crm.com', 'Use letters'],
    ['api crm.com', 'Use letters'],
  ])('%j is refused (%s)', (host, message) =>
    expect(connectionHostProblem(host)).toContain(message),
  );

  it('what someone types is trimmed, lower-cased and loses a trailing dot', () => {
    expect(normaliseConnectionHost('  API.Crm.com. ')).toBe('api.crm.com');
    expect(connectionInputSchema.parse({ host: ' API.crm.com', description: ' ' })).toEqual({
      host: 'api.crm.com',
      description: null,
    });
  });
});
