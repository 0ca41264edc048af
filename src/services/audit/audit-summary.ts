/** What stands in for a value left out of a summary. */
export const SECRET_MARK = '[secret]';

/** The whole summary, in characters (an audit record is read by people, a line each). */
export const SUMMARY_MAX_LENGTH = 500;
/** One string value, after its URLs were cut down to their origins. */
export const STRING_MAX_LENGTH = 80;
/** Items shown of a list; the rest are counted. */
export const LIST_ITEMS_MAX = 5;
/** Nesting shown; deeper values are elided. */
export const DEPTH_MAX = 4;

const ELLIPSIS = '…';

/**
 * Fragments of key names that say the value is a secret, matched in the lowercased name without
 * separators: `cmlCredentials`, `api_key`, `X-Auth-Token`, `webhookSecret` all match.
 */
const SECRET_KEY_FRAGMENTS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'credential',
  'auth',
  'cookie',
  'session',
  'signature',
] as const;

/** `key`, `apiKey`, `routingKey`, `privateKey`, `apiKeys`; not `keyName`. */
const SECRET_KEY_ENDING = /keys?$/;

/** `scheme://…` up to whitespace or a delimiter that does not belong in a URL. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*):\/\/[^\s"'<>]*/gi;

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/** `password=…`, `token: …` inside free text, as people paste them into comments. */
const SECRET_IN_TEXT =
  /\b(password|passwd|pwd|secret|token|api[_-]?key|authorization)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;]+)/gi;

/** A bearer or basic credential, or a JWT: three base64url segments, the first a JSON object. */
const CREDENTIAL_VALUE = /^(bearer|basic)\s+\S+|^eyJ[\w-]*\.[\w-]+\.[\w-]*$/i;

/** True for a key name whose value must never be shown. */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    SECRET_KEY_FRAGMENTS.some((fragment) => normalized.includes(fragment)) ||
    SECRET_KEY_ENDING.test(normalized)
  );
}

/**
 * A short account of a mutation's arguments, as GraphQL writes them (`id: "…", input: {name:
 * "w1"}`), with secrets left out: the value of every key whose name says it is a secret, every
 * URL cut down to its origin (a webhook's path or a query string can carry a token, userinfo a
 * password), `password=…` pairs in free text, bearer tokens and JWTs. Long strings and lists are
 * cut, deep values elided, and the whole kept to SUMMARY_MAX_LENGTH characters.
 */
export function summarizeArguments(args: Readonly<Record<string, unknown>>): string {
  return cut(entriesText(args, 0), SUMMARY_MAX_LENGTH);
}

function entriesText(object: object, depth: number): string {
  return Object.entries(object)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${keyedValueText(key, value, depth)}`)
    .join(', ');
}

function keyedValueText(key: string, value: unknown, depth: number): string {
  // Null says the secret was cleared, which is no secret.
  return isSecretKey(key) && value !== null ? SECRET_MARK : valueText(value, depth);
}

function valueText(value: unknown, depth: number): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'string') {
    return stringText(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'null' : JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return listText(value, depth);
  }
  if (typeof value === 'object') {
    return depth >= DEPTH_MAX ? `{${ELLIPSIS}}` : `{${entriesText(value, depth + 1)}}`;
  }
  return ELLIPSIS;
}

function stringText(value: string): string {
  if (CREDENTIAL_VALUE.test(value.trim())) {
    return SECRET_MARK;
  }
  const cleaned = value
    .replace(URL_IN_TEXT, originOf)
    .replace(SECRET_IN_TEXT, `$1$2${SECRET_MARK}`);
  return JSON.stringify(cut(cleaned, STRING_MAX_LENGTH));
}

function listText(list: readonly unknown[], depth: number): string {
  if (depth >= DEPTH_MAX) {
    return `[${ELLIPSIS}]`;
  }
  const shown = list.slice(0, LIST_ITEMS_MAX).map((item) => valueText(item, depth + 1));
  const more = list.length - shown.length;
  return `[${[...shown, ...(more > 0 ? [`${ELLIPSIS} ${more} more`] : [])].join(', ')}]`;
}

/** Scheme, host and port: no userinfo, path, query or fragment. */
function originOf(match: string, scheme: string): string {
  const trailing = TRAILING_PUNCTUATION.exec(match)?.[0] ?? '';
  try {
    const { protocol, host } = new URL(match.slice(0, match.length - trailing.length));
    return `${protocol}//${host}${trailing}`;
  } catch {
    return `${scheme}://${ELLIPSIS}${trailing}`;
  }
}

/** At most `max` characters (code points), the last one an ellipsis when cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}${ELLIPSIS}`;
}
