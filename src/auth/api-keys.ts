import { createHash, timingSafeEqual } from 'node:crypto';
import { isRole, withImpliedRoles, type Principal, type Role } from './principal';

/** One configured API key: only the SHA-256 of the key is ever known to the service. */
export interface ApiKeyEntry {
  name: string;
  role: Role;
  /** SHA-256 digest of the key (32 bytes). */
  hash: Buffer;
}

/** `API_KEYS` could not be parsed. Problems name entries by position and name, never by hash. */
export class ApiKeysError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid API_KEYS:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ApiKeysError';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * Parses `API_KEYS`: comma-separated `name:role:sha256hex` entries, where role is `viewer` or
 * `operator` and sha256hex is the SHA-256 of the key in hex (`printf %s "$KEY" | sha256sum`).
 * Blank entries are ignored. Throws an ApiKeysError listing every bad entry.
 */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  const seen: SeenEntries = { names: new Map(), hashes: new Map() };
  text.split(',').forEach((raw, index) => {
    const item = raw.trim();
    if (item !== '') {
      const parsed = parseEntry(item, index + 1, seen);
      if (Array.isArray(parsed)) {
        problems.push(...parsed);
      } else {
        entries.push(parsed);
      }
    }
  });
  if (problems.length > 0) {
    throw new ApiKeysError(problems);
  }
  return entries;
}

/** Positions of the names and hashes met so far, to report duplicates. */
interface SeenEntries {
  names: Map<string, number>;
  hashes: Map<string, number>;
}

/** The entry, or its problems. */
function parseEntry(item: string, position: number, seen: SeenEntries): ApiKeyEntry | string[] {
  const parts = item.split(':').map((part) => part.trim());
  if (parts.length !== 3) {
    // Without the separators the parts cannot be told apart: show nothing, it may be a key.
    return [`entry ${position}: expected name:role:sha256hex`];
  }
  const [name, role, hex] = parts as [string, string, string];
  const digest = hex.toLowerCase();
  const at = name === '' ? `entry ${position}` : `entry ${position} ("${name}")`;
  const problems: string[] = [];
  const sameName = seen.names.get(name);
  const sameHash = seen.hashes.get(digest);
  if (name === '') {
    problems.push(`${at}: the name is empty`);
  } else if (sameName !== undefined) {
    problems.push(`${at}: the name is already used by entry ${sameName}`);
  }
  if (!isRole(role)) {
    problems.push(`${at}: the role must be viewer or operator`);
  }
  if (!SHA256_HEX.test(digest)) {
    problems.push(`${at}: expected the SHA-256 of the key as 64 hex characters, not the key`);
  } else if (sameHash !== undefined) {
    problems.push(`${at}: the same key as entry ${sameHash}`);
  }
  seen.names.set(name, sameName ?? position);
  seen.hashes.set(digest, sameHash ?? position);
  if (problems.length > 0 || !isRole(role)) {
    return problems;
  }
  return { name, role, hash: Buffer.from(digest, 'hex') };
}

/** SHA-256 hex of a key: what `API_KEYS` holds for it. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Checks presented API keys against the configured hashes. */
export class ApiKeyVerifier {
  private readonly entries: readonly ApiKeyEntry[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.entries = [...entries];
  }

  get size(): number {
    return this.entries.length;
  }

  /** The key's principal, or null when it matches no configured key. */
  verify(presentedKey: string): Principal | null {
    // Hashing first gives every comparison the same length, whatever was presented; comparing
    // with every entry, in constant time each, keeps the timing from telling which one matched.
    const presented = createHash('sha256').update(presentedKey, 'utf8').digest();
    let match: ApiKeyEntry | null = null;
    for (const entry of this.entries) {
      const equal = timingSafeEqual(entry.hash, presented);
      match = equal ? entry : match;
    }
    if (match === null || presentedKey === '') {
      return null;
    }
    return {
      name: match.name,
      roles: withImpliedRoles([match.role]),
      source: 'api-key',
      expiresAt: null,
    };
  }
}
