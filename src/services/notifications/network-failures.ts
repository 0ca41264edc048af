/** What the usual socket and TLS failure codes mean, in words an operator reads at a glance. */
const NETWORK_FAILURES = new Map<string, string>([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'connection reset'],
  ['EPIPE', 'connection closed'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'DNS lookup failed'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
  ['ETIMEDOUT', 'connection timed out'],
  ['UND_ERR_CONNECT_TIMEOUT', 'connection timed out'],
  ['UND_ERR_SOCKET', 'connection closed'],
  ['CERT_HAS_EXPIRED', 'TLS certificate expired'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS certificate not trusted'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'TLS certificate not trusted'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS certificate not trusted'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS certificate does not match the host'],
]);

/** `connection refused (ECONNREFUSED)`, or undefined for a code without words of its own. */
export function describeNetworkCode(code: string): string | undefined {
  const words = NETWORK_FAILURES.get(code);
  return words && `${words} (${code})`;
}

/**
 * Reads errors by shape, not with `instanceof`: undici's errors may come from another realm than
 * this module's `Error` (jest's sandbox is one), and then `instanceof` is false.
 */
export function fieldOf(value: unknown, field: string): unknown {
  return typeof value === 'object' && value !== null && field in value
    ? (value as Record<string, unknown>)[field]
    : undefined;
}
