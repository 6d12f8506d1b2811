import { createHash, randomInt, randomUUID } from 'node:crypto';

/** One email the auth server would have sent, as the local mail catcher lists it. */
export interface Message {
  id: string;
  to: string;
  subject: string;
  /** `signup`, `email_change` (to the current or the new address), `recovery`. */
  type: 'signup' | 'email_change' | 'recovery';
  /** The link the email carries: ${apiUrl}/auth/v1/verify?token=…&type=…&redirect_to=… */
  link: string;
  /** What supabase-js's verifyOtp({ token_hash, type }) takes in place of the link. */
  token_hash: string;
  /** The six-digit code the email shows, for verifyOtp({ email, token, type }). */
  token: string;
  sent_at: string;
}

/** Messages kept, newest last; the oldest go first (a dev stack runs for days). */
const MAX_MESSAGES = 1000;

/**
 * The local stand-in for the SMTP server behind GoTrue (Inbucket/Mailpit on Supabase's CLI
 * stack): nothing leaves the machine, and GET /auth/v1/_mail lists what was "sent" so the
 * confirmation flows can be finished by hand or by a test.
 */
export class Outbox {
  private readonly messages: Message[] = [];

  add(message: Omit<Message, 'id' | 'sent_at'>): Message {
    const stored = { id: randomUUID(), sent_at: new Date().toISOString(), ...message };
    this.messages.push(stored);
    if (this.messages.length > MAX_MESSAGES) this.messages.shift();
    return stored;
  }

  /** Newest first; only those to `to` (case-insensitive) when given. */
  list(to?: string): Message[] {
    const wanted = to?.toLowerCase();
    return this.messages.filter((m) => !wanted || m.to.toLowerCase() === wanted).reverse();
  }
}

/** A one-time code and its hash as GoTrue stores it: sha224 of email + code, hex. */
export function newOneTimeToken(email: string): { token: string; tokenHash: string } {
  const token = String(randomInt(1_000_000)).padStart(6, '0');
  return { token, tokenHash: hashToken(email, token) };
}

/** GoTrue's crypto.GenerateTokenHash(email, otp). */
export function hashToken(email: string, token: string): string {
  return createHash('sha224')
    .update(email + token)
    .digest('hex');
}
