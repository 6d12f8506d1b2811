// The outbound policy (supabase/functions/_shared/executor-outbound.ts) against the ways of
// writing a loopback, private or metadata address in a URL: decimal, octal and hex IPv4,
// IPv6 forms that carry an IPv4 address, userinfo and fragment tricks. No stack needed.
import { describe, expect, it } from 'vitest';
import {
  checkDestination,
  isPublicAddress,
  parseHostPolicy,
  type Resolver,
} from '../functions/_shared/executor-outbound.ts';

// Any name "resolves" to a public address: only the URL's own spelling can be refused here.
const publicDns: Resolver = async () => ['8.8.8.8'];
const anyPublicHost = parseHostPolicy('', 'GEMINI_AUDIO_ALLOWED_HOSTS', 'public');
const listed = parseHostPolicy('api.example.com', 'HTTP_REQUEST_ALLOWED_HOSTS', 'none');

describe('outbound URLs that spell an internal address', () => {
  it.each([
    'http://0177.0.0.1/',
    'http://017700000001/',
    'http://0x7f000001/',
    'http://127.1/',
    'http://127.0.0.1./',
    'http://%31%32%37.0.0.1/',
    'http://0/',
    'http://[::]/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[::ffff:0:7f00:1]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'http://[2002:7f00:1::]/',
    'http://[2002:a9fe:a9fe::1]/',
    'http://[2002:c0a8:101::]/',
    'http://[64:ff9b:1::a00:1]/',
    'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'http://[fec0::1]/',
    'http://[100::1]/',
    'http://[fd00:ec2::254]/',
    'http://user:secret@127.0.0.1/',
    'http://api.example.com@127.0.0.1/',
    'http://127.0.0.1#@api.example.com/',
    'http://127.0.0.1\\@api.example.com/',
    'http://LOCALHOST./',
    'http://metadata.localhost/',
  ])('%s is refused even when any public host is allowed', async (url) => {
    await expect(checkDestination(new URL(url), anyPublicHost, publicDns)).rejects.toMatchObject({
      code: 'address_not_allowed',
      retryable: false,
    });
  });

  it.each(['http://api.example.com@127.0.0.1/', 'http://127.0.0.1#@api.example.com/'])(
    '%s does not pass as the listed host',
    async (url) => {
      await expect(checkDestination(new URL(url), listed, publicDns)).rejects.toMatchObject({
        code: 'host_not_allowed',
      });
    },
  );

  it.each([
    ['2002:808:808::1', true],
    ['::ffff:0:808:808', true],
    ['2606:4700:4700::1111', true],
    ['2002:a00:1::', false],
    ['2002:7f00:1::', false],
  ])('address %s is public: %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});
