import { STATUS_CODES } from 'node:http';
import { describeNetworkCode, fieldOf } from './network-failures';
import type { OutgoingRequest } from './outgoing';

export type DeliveryResult =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; status: number | null; error: string };

/**
 * POSTs `request` once and says how it went. Never throws. The error text never includes the URL
 * nor the underlying error's message: receiver URLs can carry secrets (Slack's do), and these
 * messages end up in logs and in the API.
 */
export async function sendRequest(
  request: OutgoingRequest,
  timeoutMs: number,
): Promise<DeliveryResult> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      // A redirect would resend the alert, signature included, to a URL nobody configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, retryable: true, status: null, error: describeFailure(error, timeoutMs) };
  }
  await discardBody(response);
  return outcomeOf(response.status);
}

function outcomeOf(status: number): DeliveryResult {
  if (status >= 200 && status < 300) {
    return { ok: true, status };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  // Node's own reason phrase, not the receiver's: what the receiver says is not ours to log.
  const error = `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim() + redirect;
  return { ok: false, retryable, status, error };
}

/** Frees the connection; what the receiver answered is of no use to us. */
async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The stream already failed (e.g. the timeout fired while it was open): nothing left to free.
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (fieldOf(error, 'name') === 'TimeoutError') {
    return `timed out after ${timeoutMs} ms`;
  }
  // undici wraps the socket error: `TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })`.
  const code = fieldOf(fieldOf(error, 'cause'), 'code');
  if (typeof code !== 'string') {
    return 'request failed';
  }
  return describeNetworkCode(code) ?? `request failed (${code})`;
}
