import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CmlCredentials } from '../../config';
import type { Worker } from '../../entities/worker.entity';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: a password read back with another key, or altered, fails rather than decrypts. */
export function encryptPassword(key: Buffer, password: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
}

export function decryptPassword(key: Buffer, stored: string): string {
  const [version, payload] = stored.split(':', 2);
  if (version !== VERSION || !payload) {
    throw new Error('the stored CML password is not in a known format');
  }
  const bytes = Buffer.from(payload, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}

/**
 * Why a worker cannot be asked: said on the worker (`cml.error`), not thrown. `unconfigured`: the
 * service was given nothing to ask with (no credentials, no address), which is no controller's
 * failure; otherwise what it was given is broken (credentials it cannot read).
 */
export class CmlSetupError extends Error {
  override readonly name = 'CmlSetupError';

  constructor(
    message: string,
    readonly unconfigured: boolean,
  ) {
    super(message);
  }
}

/** The worker's own credentials if it has any, else the fleet's. */
export function credentialsFor(
  worker: Pick<Worker, 'cmlUsername' | 'cmlPasswordEncrypted'>,
  fleet: CmlCredentials | undefined,
  key: Buffer | undefined,
): CmlCredentials {
  if (worker.cmlUsername !== null && worker.cmlPasswordEncrypted !== null) {
    if (!key) {
      throw new CmlSetupError(
        "the worker's own CML credentials cannot be read: CML_CREDENTIALS_KEY is not set",
        false,
      );
    }
    try {
      return {
        username: worker.cmlUsername,
        password: decryptPassword(key, worker.cmlPasswordEncrypted),
      };
    } catch {
      throw new CmlSetupError(
        "the worker's own CML credentials cannot be read with this CML_CREDENTIALS_KEY",
        false,
      );
    }
  }
  if (!fleet) {
    throw new CmlSetupError(
      'not asked: no CML credentials; set CML_USERNAME and CML_PASSWORD, or give the worker its own',
      true,
    );
  }
  return fleet;
}
