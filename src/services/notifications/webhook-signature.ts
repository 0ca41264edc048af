import { createHmac } from 'node:crypto';

/** Standard Webhooks' prefix of a base64 signing secret. */
const STANDARD_SECRET_PREFIX = 'whsec_';

/**
 * Lets the receiver check that a request came from us, was not altered on the way and is not a
 * replay, the Standard Webhooks way (https://www.standardwebhooks.com): `webhook-id` stays the
 * same on every retry so receivers can deduplicate, `webhook-timestamp` is this attempt's, and
 * `webhook-signature` signs both with the body. `x-signature-256` (an HMAC of the body alone,
 * keyed with the secret string as is) stays for receivers that verified it before.
 */
export function signatureHeaders(
  secret: string,
  webhookId: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  const signature = createHmac('sha256', signingKeyOf(secret))
    .update(`${webhookId}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  const bodySignature = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
    'x-signature-256': `sha256=${bodySignature}`,
  };
}

/**
 * A `whsec_` secret is Standard Webhooks' serialization of random key bytes; any other secret is
 * a passphrase an operator chose, used as its UTF-8 bytes.
 */
function signingKeyOf(secret: string): Buffer {
  return secret.startsWith(STANDARD_SECRET_PREFIX)
    ? Buffer.from(secret.slice(STANDARD_SECRET_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}
