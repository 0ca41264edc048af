import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/** A key pair as an identity provider holds it: the private half signs, the public one is published. */
export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds since the epoch; one hour from now by default; null: no `exp` claim. */
  expiresAt?: number | null;
  /** The `kid` header; the key's own by default. */
  kid?: string;
}

export function signToken(key: SigningKey, claims: JWTPayload, options: TokenOptions = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuedAt();
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  const expiresAt = options.expiresAt === undefined ? nowSeconds() + 3600 : options.expiresAt;
  if (expiresAt !== null) jwt.setExpirationTime(expiresAt);
  return jwt.sign(key.privateKey);
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Serves a JSON Web Key Set over HTTP, as an identity provider's `certs` endpoint does. */
export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  /** Publishes these public keys from now on. */
  publish(keys: JWK[]): void;
  /** Answers every fetch with this status instead of the key set (null: serve it again). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[] = []): Promise<JwksServer> {
  let published = keys;
  let failure: number | null = null;
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    if (failure !== null) {
      res.writeHead(failure).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/realms/cml/protocol/openid-connect/certs`,
    get fetches() {
      return fetches;
    },
    publish: (next) => {
      published = next;
    },
    failWith: (status) => {
      failure = status;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
