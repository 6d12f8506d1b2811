// The outbound policy's pure rules (no stack needed): host lists, wildcards, address classes.
import { describe, expect, it } from 'vitest';
import {
  checkDestination,
  isPublicAddress,
  matchHost,
  parseHostPolicy,
  type Resolver,
} from '../functions/_shared/executor-outbound.ts';

describe('executor outbound policy', () => {
  const policy = parseHostPolicy(
    ' api.example.com, *.hooks.example.com ,127.0.0.1,',
    'HTTP_REQUEST_ALLOWED_HOSTS',
    'none',
  );

  it.each([
    ['api.example.com', 'exact'],
    ['API.Example.com.', 'exact'],
    ['a.hooks.example.com', 'pattern'],
    ['a.b.hooks.example.com', 'pattern'],
    ['hooks.example.com', undefined],
    ['evilhooks.example.com', undefined],
    ['example.com', undefined],
    ['127.0.0.1', 'exact'],
    ['localhost', undefined],
  ])('host %s matches as %s', (host, expected) => {
    expect(matchHost(host, policy)).toBe(expected);
  });

  it('a port in an entry is ignored', () => {
    const withPort = parseHostPolicy('api.example.com:8443', 'X', 'none');
    expect(matchHost('api.example.com', withPort)).toBe('exact');
  });

  it('an empty list allows nothing for http-request and any public host for audio URLs', () => {
    expect(matchHost('example.com', parseHostPolicy('', 'X', 'none'))).toBeUndefined();
    expect(matchHost('example.com', parseHostPolicy(undefined, 'X', 'public'))).toBe('pattern');
  });

  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['127.0.0.1', false],
    ['0.0.0.0', false],
    ['169.254.169.254', false],
    ['100.100.100.200', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['[::1]', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['fc00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['2606:4700:4700::1111', true],
    ['2001:db8::1', false],
    ['not-an-ip', false],
    ['1.2.3', false],
  ])('address %s is public: %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });

  const resolveTo =
    (addresses: string[]): Resolver =>
    async () =>
      addresses;

  it('a wildcard host that resolves to a private address is refused; an exact one is not', async () => {
    const internal = resolveTo(['10.0.0.7']);
    await expect(
      checkDestination(new URL('https://x.hooks.example.com/'), policy, internal),
    ).rejects.toMatchObject({ code: 'address_not_allowed', retryable: false });
    await expect(
      checkDestination(new URL('https://api.example.com/'), policy, internal),
    ).resolves.toBeUndefined();
    await expect(
      checkDestination(new URL('https://x.hooks.example.com/'), policy, resolveTo(['8.8.8.8'])),
    ).resolves.toBeUndefined();
  });

  it('a host that resolves to public and private addresses at once is refused', async () => {
    await expect(
      checkDestination(
        new URL('https://x.hooks.example.com/'),
        policy,
        resolveTo(['8.8.8.8', '127.0.0.1']),
      ),
    ).rejects.toMatchObject({ code: 'address_not_allowed' });
  });

  it('schemes other than http and https are refused', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://api.example.com/', 'data:text/plain,hi']) {
      await expect(
        checkDestination(new URL(url), policy, resolveTo(['8.8.8.8'])),
      ).rejects.toMatchObject({ code: 'url_not_allowed', retryable: false });
    }
  });

  it('IP spellings the URL parser normalises are checked as the address they are', async () => {
    const any = parseHostPolicy('', 'X', 'public');
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      await expect(
        checkDestination(new URL(url), any, resolveTo(['8.8.8.8'])),
      ).rejects.toMatchObject({ code: 'address_not_allowed' });
    }
  });
});
