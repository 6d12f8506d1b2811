import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supabaseDir } from '../paths.ts';
import { authOptionsFromConfig, readTomlSections } from './config.ts';

describe('readTomlSections', () => {
  it('reads strings, numbers and booleans per section, skipping comments and arrays', () => {
    const sections = readTomlSections(
      [
        'project_id = "x"',
        '[auth]',
        'site_url = "http://127.0.0.1:5173" # the web app',
        'additional_redirect_urls = ["http://localhost:5173"]',
        'jwt_expiry = 3600',
        '[auth.email]',
        '# enable_confirmations = true',
        'enable_confirmations = false',
      ].join('\n'),
    );
    expect(sections.get('')?.get('project_id')).toBe('x');
    expect(Object.fromEntries(sections.get('auth') ?? [])).toEqual({
      site_url: 'http://127.0.0.1:5173',
      jwt_expiry: 3600,
    });
    expect(sections.get('auth.email')?.get('enable_confirmations')).toBe(false);
  });
});

describe('authOptionsFromConfig', () => {
  it('reads supabase/config.toml as the CLI passes it to GoTrue', () => {
    const options = authOptionsFromConfig(readFileSync(join(supabaseDir, 'config.toml'), 'utf8'));
    expect(options).toMatchObject({
      siteUrl: 'http://127.0.0.1:5173',
      jwtExpirySeconds: 3600,
      refreshTokenReuseIntervalSeconds: 10,
      doubleConfirmChanges: true,
      maxFrequencySeconds: 1,
      rateLimits: { tokenRefresh: 150, signInSignUps: 30, tokenVerifications: 30 },
    });
    expect(typeof options.enableConfirmations).toBe('boolean');
  });

  it('counts email_sent only with custom SMTP, as the CLI does; GoTrue’s 30 otherwise', () => {
    const limits = '[auth.rate_limit]\nemail_sent = 2\n';
    expect(authOptionsFromConfig(limits).rateLimits?.emailSent).toBe(30);
    const withSmtp = `${limits}[auth.email.smtp]\nenabled = true\n`;
    expect(authOptionsFromConfig(withSmtp).rateLimits?.emailSent).toBe(2);
  });
});
