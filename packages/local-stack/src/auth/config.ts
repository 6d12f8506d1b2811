import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { supabaseDir } from '../paths.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limit.ts';
import type { AuthServerOptions } from './server.ts';

type TomlValue = string | number | boolean;

/**
 * The `key = value` lines of each [section] of a TOML file: strings, numbers and booleans
 * (what the [auth] sections hold); arrays and inline tables are skipped. Not a TOML parser,
 * only enough of one for the settings read below.
 */
export function readTomlSections(text: string): Map<string, Map<string, TomlValue>> {
  const sections = new Map<string, Map<string, TomlValue>>();
  let current = new Map<string, TomlValue>();
  sections.set('', current);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!.trim(), current);
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair as unknown as [string, string, string];
    if (value === 'true' || value === 'false') current.set(key, value === 'true');
    else if (/^-?\d+(\.\d+)?$/.test(value)) current.set(key, Number(value));
    else if (/^"[^"]*"$/.test(value)) current.set(key, value.slice(1, -1));
  }
  return sections;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** A Go duration of one unit, as config.toml writes them ("1s", "60s", "5m"); else undefined. */
export function durationSeconds(value: string): number | undefined {
  const match = /^(\d+)(s|m|h)$/.exec(value.trim());
  return match ? Number(match[1]) * DURATION_UNITS[match[2]!]! : undefined;
}

/**
 * Rate limits out of any suite's reach, for `pnpm test` and `pnpm bench`: they sign up and
 * sign in thousands of users from 127.0.0.1. The tests of the limits serve their own auth
 * server with low ones (auth-server.stack.test.ts).
 */
export const TESTING_RATE_LIMITS: RateLimitSettings = {
  tokenRefresh: 1e9,
  signInSignUps: 1e9,
  tokenVerifications: 1e9,
  emailSent: 1e9,
  failedSignInsPerAccount: 1e9,
};

/**
 * The auth server's settings from supabase/config.toml, read as the Supabase CLI passes them
 * to GoTrue: [auth] site_url, jwt_expiry, refresh_token_reuse_interval; [auth.email]
 * enable_confirmations, double_confirm_changes, max_frequency; [auth.rate_limit]. `email_sent` counts only
 * with custom SMTP ([auth.email.smtp] enabled), as in the CLI; otherwise GoTrue's own 30.
 */
export function authOptionsFromConfig(
  text: string,
): Omit<AuthServerOptions, 'pool' | 'jwtSecret' | 'apiUrl'> {
  const sections = readTomlSections(text);
  const auth = sections.get('auth') ?? new Map<string, TomlValue>();
  const email = sections.get('auth.email') ?? new Map<string, TomlValue>();
  const limits = sections.get('auth.rate_limit') ?? new Map<string, TomlValue>();
  const smtp = sections.get('auth.email.smtp');
  const num = (map: Map<string, TomlValue>, key: string): number | undefined => {
    const value = map.get(key);
    return typeof value === 'number' ? value : undefined;
  };
  const bool = (map: Map<string, TomlValue>, key: string): boolean | undefined => {
    const value = map.get(key);
    return typeof value === 'boolean' ? value : undefined;
  };
  const siteUrl = auth.get('site_url');
  const maxFrequency = email.get('max_frequency');
  return {
    jwtExpirySeconds: num(auth, 'jwt_expiry'),
    refreshTokenReuseIntervalSeconds: num(auth, 'refresh_token_reuse_interval'),
    siteUrl: typeof siteUrl === 'string' ? siteUrl : undefined,
    enableConfirmations: bool(email, 'enable_confirmations'),
    doubleConfirmChanges: bool(email, 'double_confirm_changes'),
    maxFrequencySeconds:
      typeof maxFrequency === 'string' ? durationSeconds(maxFrequency) : undefined,
    rateLimits: {
      tokenRefresh: num(limits, 'token_refresh') ?? DEFAULT_RATE_LIMITS.tokenRefresh,
      signInSignUps: num(limits, 'sign_in_sign_ups') ?? DEFAULT_RATE_LIMITS.signInSignUps,
      tokenVerifications:
        num(limits, 'token_verifications') ?? DEFAULT_RATE_LIMITS.tokenVerifications,
      emailSent:
        (smtp && bool(smtp, 'enabled') ? num(limits, 'email_sent') : undefined) ??
        DEFAULT_RATE_LIMITS.emailSent,
      failedSignInsPerAccount: DEFAULT_RATE_LIMITS.failedSignInsPerAccount,
    },
  };
}

/** What `startStack` gives the auth server: config.toml's settings, limits lifted for tests. */
export function stackAuthOptions(options: {
  testing?: boolean;
}): Omit<AuthServerOptions, 'pool' | 'jwtSecret' | 'apiUrl'> {
  const file = join(supabaseDir, 'config.toml');
  const fromConfig = existsSync(file) ? authOptionsFromConfig(readFileSync(file, 'utf8')) : {};
  return options.testing ? { ...fromConfig, rateLimits: TESTING_RATE_LIMITS } : fromConfig;
}
