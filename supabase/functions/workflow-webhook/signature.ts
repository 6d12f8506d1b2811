// The webhook signature (docs/automation/webhooks.md), checked with Web Crypto only so Node
// can import it too:
//
//   Forkflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// As Stripe's: the timestamp is signed with the body, so a captured delivery cannot be sent
// again after the tolerance, and the Idempotency-Key makes a resend within it a replay. More
// than one v1 may be given (a sender moving between secrets); any one matching is enough.

/** How far the signed time may be from ours, either way: clocks drift, retries queue. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

/** t and the v1 signatures of a header, or null when it is not of that shape. */
export function parseSignatureHeader(
  header: string | null,
): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } | null {
  if (!header || header.length > 1024) return null;
  let timestamp: number | null = null;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return null;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (name === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return null;
      signatures.push(hexBytes(value));
    }
    // Other schemes (a future v2) are ignored, so senders can send both during a change.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Whether `header` signs `body` with `secret` at a time within the tolerance of `nowSeconds`.
 * The comparison is crypto.subtle.verify's, which does not stop at the first differing byte.
 */
export async function verifySignature(
  secret: string,
  header: string | null,
  body: Uint8Array,
  nowSeconds: number,
): Promise<boolean> {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(nowSeconds - parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const prefix = encoder.encode(`${parsed.timestamp}.`);
  const signed = new Uint8Array(prefix.byteLength + body.byteLength);
  signed.set(prefix, 0);
  signed.set(body, prefix.byteLength);
  let ok = false;
  // Every candidate is checked, so the time taken does not say which one matched.
  for (const signature of parsed.signatures) {
    if (await crypto.subtle.verify('HMAC', key, signature, signed)) ok = true;
  }
  return ok;
}
