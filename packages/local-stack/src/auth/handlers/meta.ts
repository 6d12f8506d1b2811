import type { Handler } from '../context.ts';
import { sendJson } from '../http.ts';

export const health: Handler = async (_ctx, { res }) => {
  sendJson(res, 200, {
    version: 'local',
    name: 'GoTrue',
    description: 'GoTrue is a user registration and authentication API',
  });
};

const EXTERNAL_PROVIDERS = [
  'anonymous_users',
  'apple',
  'azure',
  'bitbucket',
  'discord',
  'facebook',
  'figma',
  'fly',
  'github',
  'gitlab',
  'google',
  'keycloak',
  'kakao',
  'linkedin',
  'linkedin_oidc',
  'nextcloud',
  'notion',
  'spotify',
  'slack',
  'slack_oidc',
  'workos',
  'twitch',
  'twitter',
  'email',
  'phone',
  'zoom',
];

/** GET /settings: what this server offers, in GoTrue's shape. Email and password only. */
export const settings: Handler = async (ctx, { res }) => {
  sendJson(res, 200, {
    external: Object.fromEntries(EXTERNAL_PROVIDERS.map((name) => [name, name === 'email'])),
    disable_signup: false,
    mailer_autoconfirm: !ctx.enableConfirmations,
    phone_autoconfirm: false,
    sms_provider: 'twilio',
    saml_enabled: false,
  });
};

/** Tokens are HS256 with the shared secret, so there is no public key to publish (as in GoTrue). */
export const jwks: Handler = async (_ctx, { res }) => {
  sendJson(res, 200, { keys: [] });
};
