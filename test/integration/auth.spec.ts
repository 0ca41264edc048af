import crypto from 'node:crypto';
import { execute, parse, type GraphQLResolveInfo } from 'graphql';
import { base64url, SignJWT } from 'jose';
import { Authorized, buildSchema, Mutation, Query, Resolver } from 'type-graphql';
import { ApiKeysError, ApiKeyVerifier, hashApiKey, parseApiKeys } from '../../src/auth/api-keys';
import { authChecker, type AuthContext } from '../../src/auth/auth-checker';
import { AuthError } from '../../src/auth/auth-error';
import { Authenticator } from '../../src/auth/authenticator';
import { JwtVerifier, type JwtVerifierOptions } from '../../src/auth/jwt';
import { isExpired, Role, type Principal } from '../../src/auth/principal';
import { DomainError, ErrorCode } from '../../src/errors/domain-error';
import { createErrorFormatter } from '../../src/schema/format-error';
import {
  createSigningKey,
  nowSeconds,
  signToken,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from '../support/jwks-server';
import { testLogger } from '../support/silent-logger';

const OPERATOR_KEY = 'op-3f9a1c0d5e7b2a4c6e8f0a1b3c5d7e9f';
const VIEWER_KEY = 'view-8e6c4a2b0d9f7e5c3a1b9d7f5e3c1a0b';
const apiKeysText = () =>
  `ci:operator:${hashApiKey(OPERATOR_KEY)}, dashboard:viewer:${hashApiKey(VIEWER_KEY).toUpperCase()}`;

const problemsOf = (text: string): string[] => {
  try {
    parseApiKeys(text);
  } catch (error) {
    if (error instanceof ApiKeysError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected API_KEYS to be rejected');
};

const principal = (roles: Role[], overrides: Partial<Principal> = {}): Principal => ({
  name: 'someone',
  roles,
  source: 'api-key',
  expiresAt: null,
  ...overrides,
});

/** What a rejected promise or call was rejected with, for assertions on its properties. */
async function failureOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe(parseApiKeys.name, () => {
  it('should read name, role and hash of every entry, ignoring blanks and hex case', () => {
    const entries = parseApiKeys(` ${apiKeysText()} ,, `);

    expect(entries.map(({ name, role }) => ({ name, role }))).toEqual([
      { name: 'ci', role: Role.OPERATOR },
      { name: 'dashboard', role: Role.VIEWER },
    ]);
    expect(entries[1]?.hash.toString('hex')).toBe(hashApiKey(VIEWER_KEY));
  });

  it('should read an empty variable as no keys', () => {
    expect(parseApiKeys('')).toEqual([]);
  });

  it('should name the entry with an unknown role', () => {
    expect(problemsOf(`ci:operator:${hashApiKey('a')},bot:admin:${hashApiKey('b')}`)).toEqual([
      'entry 2 ("bot"): the role must be viewer or operator',
    ]);
  });

  it('should reject a key given in place of its hash without showing it', () => {
    const problems = problemsOf(`ci:operator:${OPERATOR_KEY}`);

    expect(problems).toEqual([
      'entry 1 ("ci"): expected the SHA-256 of the key as 64 hex characters, not the key',
    ]);
    expect(problems.join()).not.toContain(OPERATOR_KEY);
  });

  it('should reject a hash of the wrong length or alphabet', () => {
    const hash = hashApiKey('a');

    expect(problemsOf(`a:viewer:${hash.slice(1)}`)).toHaveLength(1);
    expect(problemsOf(`a:viewer:${hash}0`)).toHaveLength(1);
    expect(problemsOf(`a:viewer:${hash.slice(1)}g`)).toHaveLength(1);
  });

  it('should reject an empty name', () => {
    expect(problemsOf(`:viewer:${hashApiKey('a')}`)).toEqual(['entry 1: the name is empty']);
  });

  it('should reject a name used twice', () => {
    expect(problemsOf(`ci:viewer:${hashApiKey('a')},ci:operator:${hashApiKey('b')}`)).toEqual([
      'entry 2 ("ci"): the name is already used by entry 1',
    ]);
  });

  it('should reject the same key under two names', () => {
    expect(problemsOf(`a:viewer:${hashApiKey('k')},b:operator:${hashApiKey('k')}`)).toEqual([
      'entry 2 ("b"): the same key as entry 1',
    ]);
  });

  it('should reject an entry that is not name:role:hash without showing any of it', () => {
    expect(problemsOf(`ci:operator:${hashApiKey('a')},${OPERATOR_KEY}`)).toEqual([
      'entry 2: expected name:role:sha256hex',
    ]);
  });

  it('should list every problem at once, in a message naming API_KEYS', () => {
    const error = (() => {
      try {
        return parseApiKeys(`:admin:nothex,ok:viewer:${hashApiKey('a')},x`);
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(ApiKeysError);
    expect((error as ApiKeysError).problems).toEqual([
      'entry 1: the name is empty',
      'entry 1: the role must be viewer or operator',
      'entry 1: expected the SHA-256 of the key as 64 hex characters, not the key',
      'entry 3: expected name:role:sha256hex',
    ]);
    expect((error as ApiKeysError).message).toMatch(/^Invalid API_KEYS:\n {2}- entry 1: /);
  });
});

describe(ApiKeyVerifier.name, () => {
  const verifier = () => new ApiKeyVerifier(parseApiKeys(apiKeysText()));

  afterEach(() => jest.restoreAllMocks());

  it('should give an operator key both roles and a viewer key only viewer', () => {
    expect(verifier().verify(OPERATOR_KEY)).toEqual({
      name: 'ci',
      roles: [Role.OPERATOR, Role.VIEWER],
      source: 'api-key',
      expiresAt: null,
    });
    expect(verifier().verify(VIEWER_KEY)).toMatchObject({
      name: 'dashboard',
      roles: [Role.VIEWER],
    });
  });

  it.each([
    ['empty', ''],
    ['one character', 'x'],
    ['almost right', OPERATOR_KEY.slice(0, -1)],
    ['right plus more', `${OPERATOR_KEY}x`],
    ['the hash instead of the key', hashApiKey(OPERATOR_KEY)],
    ['very long', 'k'.repeat(100_000)],
  ])('should reject a wrong key (%s)', (_case, key) => {
    expect(verifier().verify(key)).toBeNull();
  });

  it('should compare with every entry in constant time, also after a match', () => {
    const compare = jest.spyOn(crypto, 'timingSafeEqual');

    verifier().verify(OPERATOR_KEY);

    expect(compare).toHaveBeenCalledTimes(2);
  });
});

describe(JwtVerifier.name, () => {
  const issuer = 'https://id.example.com/realms/cml';
  let server: JwksServer;
  let key: SigningKey;

  const verifierFor = (options: Partial<JwtVerifierOptions> = {}) =>
    new JwtVerifier({ jwksUrl: server.url, issuer, ...options });
  const operatorClaims = () => ({
    sub: 'b1c2',
    preferred_username: 'alice',
    realm_access: { roles: ['offline_access', 'operator'] },
  });

  beforeAll(async () => {
    key = await createSigningKey('k1');
  });
  beforeEach(async () => {
    server = await startJwksServer([key.publicJwk]);
  });
  afterEach(() => server.close());

  it('should turn a valid token into a principal with its roles, expiring after the leeway', async () => {
    const exp = nowSeconds() + 600;
    const token = await signToken(key, operatorClaims(), { issuer, expiresAt: exp });

    await expect(verifierFor().verify(token)).resolves.toEqual({
      name: 'alice',
      roles: [Role.OPERATOR, Role.VIEWER],
      source: 'jwt',
      expiresAt: new Date((exp + 30) * 1000),
    });
  });

  it('should verify EC-signed tokens too', async () => {
    const ecKey = await createSigningKey('ec1', 'ES256');
    server.publish([key.publicJwk, ecKey.publicJwk]);
    const token = await signToken(ecKey, operatorClaims(), { issuer });

    await expect(verifierFor().verify(token)).resolves.toMatchObject({ name: 'alice' });
  });

  it('should name the principal by sub without preferred_username', async () => {
    const token = await signToken(key, { sub: 'svc-7', realm_access: { roles: [] } }, { issuer });

    await expect(verifierFor().verify(token)).resolves.toMatchObject({ name: 'svc-7', roles: [] });
  });

  it('should read roles at the configured path, or a claim whose name has dots', async () => {
    const token = await signToken(
      key,
      {
        sub: 'u',
        resource_access: { 'cml-monitor': { roles: ['viewer', 'admin'] } },
        'https://cml.example.com/roles': ['operator'],
      },
      { issuer },
    );

    await expect(
      verifierFor({ rolesClaim: 'resource_access.cml-monitor.roles' }).verify(token),
    ).resolves.toMatchObject({ roles: [Role.VIEWER] });
    await expect(
      verifierFor({ rolesClaim: 'https://cml.example.com/roles' }).verify(token),
    ).resolves.toMatchObject({ roles: [Role.OPERATOR, Role.VIEWER] });
  });

  it('should reject an expired token as expired', async () => {
    const token = await signToken(key, operatorClaims(), {
      issuer,
      expiresAt: nowSeconds() - 3600,
    });

    const error = await failureOf(() => verifierFor().verify(token));

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ reason: 'expired', code: ErrorCode.UNAUTHENTICATED });
  });

  it('should accept a token expired within the clock tolerance, as a principal not yet expired', async () => {
    const exp = nowSeconds() - 5;
    const token = await signToken(key, operatorClaims(), { issuer, expiresAt: exp });

    const accepted = await verifierFor({ clockToleranceSeconds: 60 }).verify(token);

    expect(isExpired(accepted)).toBe(false);
    expect(accepted.expiresAt).toEqual(new Date((exp + 60) * 1000));
    await expect(verifierFor({ clockToleranceSeconds: 0 }).verify(token)).rejects.toMatchObject({
      reason: 'expired',
    });
  });

  it('should accept a token valid within the clock tolerance from its nbf', async () => {
    const token = await signToken(key, { ...operatorClaims(), nbf: nowSeconds() + 5 }, { issuer });

    await expect(verifierFor({ clockToleranceSeconds: 60 }).verify(token)).resolves.toBeDefined();
    await expect(verifierFor({ clockToleranceSeconds: 0 }).verify(token)).rejects.toMatchObject({
      reason: 'invalid',
    });
  });

  it.each([
    ['from a foreign issuer', { issuer: 'https://evil.example.com/realms/cml' }, {}],
    ['for another audience', { issuer, audience: 'other-api' }, { audience: 'cml-monitor' }],
    ['without an audience when one is required', { issuer }, { audience: 'cml-monitor' }],
    ['without exp', { issuer, expiresAt: null }, {}],
  ])('should reject a token %s as invalid', async (_case, tokenOptions, verifierOptions) => {
    const token = await signToken(key, operatorClaims(), tokenOptions);

    await expect(verifierFor(verifierOptions).verify(token)).rejects.toMatchObject({
      reason: 'invalid',
    });
  });

  it('should accept the configured audience', async () => {
    const token = await signToken(key, operatorClaims(), { issuer, audience: 'cml-monitor' });

    await expect(verifierFor({ audience: 'cml-monitor' }).verify(token)).resolves.toBeDefined();
  });

  it('should reject a token signed by a key the identity provider did not publish', async () => {
    const forger = await createSigningKey('k1');
    const sameKid = await signToken(forger, operatorClaims(), { issuer });
    const otherKid = await signToken(forger, operatorClaims(), { issuer, kid: 'unknown' });

    await expect(verifierFor().verify(sameKid)).rejects.toMatchObject({ reason: 'invalid' });
    await expect(verifierFor().verify(otherKid)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('should reject an unsigned token (alg none)', async () => {
    const encode = (value: object) => base64url.encode(JSON.stringify(value));
    const claims = { ...operatorClaims(), iss: issuer, exp: nowSeconds() + 600 };
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;

    await expect(verifierFor().verify(token)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('should reject an HMAC token, even keyed with the published public key', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT(operatorClaims())
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setIssuer(issuer)
      .setExpirationTime('10m')
      .sign(secret);

    await expect(verifierFor().verify(token)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it.each(['a.b.c', 'not-a-token', '', 'eyJhbGciOiJSUzI1NiJ9.e30.'])(
    'should reject the malformed token %j as invalid',
    async (token) => {
      await expect(verifierFor().verify(token)).rejects.toMatchObject({ reason: 'invalid' });
    },
  );

  it('should fetch the key set again for a new kid, to follow key rotation', async () => {
    const verifier = verifierFor({ jwks: { cooldownMs: 0 } });
    await verifier.verify(await signToken(key, operatorClaims(), { issuer }));
    const rotated = await createSigningKey('k2');
    server.publish([rotated.publicJwk]);

    await expect(
      verifier.verify(await signToken(rotated, operatorClaims(), { issuer })),
    ).resolves.toMatchObject({ name: 'alice' });
    expect(server.fetches).toBe(2);
  });

  it('should not refetch the key set for unknown kids during the cooldown', async () => {
    const verifier = verifierFor({ jwks: { cooldownMs: 60_000 } });
    await verifier.verify(await signToken(key, operatorClaims(), { issuer }));
    const stranger = await createSigningKey('k9');

    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(
        verifier.verify(await signToken(stranger, operatorClaims(), { issuer })),
      ).rejects.toMatchObject({ reason: 'invalid' });
    }
    expect(server.fetches).toBe(1);
  });

  it('should report an unreachable key set as upstream unavailable, not as a bad token', async () => {
    server.failWith(503);
    const token = await signToken(key, operatorClaims(), { issuer });

    const error = await failureOf(() => verifierFor().verify(token));

    expect(error).not.toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
  });
});

describe(Authenticator.name, () => {
  const issuer = 'https://id.example.com/realms/cml';
  let server: JwksServer;
  let key: SigningKey;

  const apiKeys = () => new ApiKeyVerifier(parseApiKeys(apiKeysText()));
  const jwt = () => new JwtVerifier({ jwksUrl: server.url, issuer });

  beforeAll(async () => {
    key = await createSigningKey('k1');
    server = await startJwksServer([key.publicJwk]);
  });
  afterAll(() => server.close());

  it('should let everybody in as the anonymous operator when nothing is configured', async () => {
    const authenticator = new Authenticator();

    expect(authenticator.enabled).toBe(false);
    for (const header of [undefined, 'Bearer wrong', 'garbage']) {
      await expect(authenticator.authenticate(header)).resolves.toEqual({
        name: 'anonymous',
        roles: [Role.OPERATOR, Role.VIEWER],
        source: 'none',
        expiresAt: null,
      });
    }
  });

  it('should be enabled by either verifier', () => {
    expect(new Authenticator({ apiKeys: apiKeys() }).enabled).toBe(true);
    expect(new Authenticator({ jwt: jwt() }).enabled).toBe(true);
  });

  it.each([undefined, '', '   '])(
    'should find no principal without credentials (%j)',
    async (h) => {
      await expect(new Authenticator({ apiKeys: apiKeys() }).authenticate(h)).resolves.toBeNull();
    },
  );

  it.each(['Bearer', 'bearer', 'BEARER'])('should read the %s scheme', async (scheme) => {
    const authenticator = new Authenticator({ apiKeys: apiKeys() });

    await expect(authenticator.authenticate(`${scheme} ${OPERATOR_KEY}`)).resolves.toMatchObject({
      name: 'ci',
    });
  });

  it.each([
    `Basic ${OPERATOR_KEY}`,
    OPERATOR_KEY,
    'Bearer',
    'Bearer ',
    `Bearer ${OPERATOR_KEY} extra`,
  ])('should reject the malformed header %j', async (header) => {
    await expect(
      new Authenticator({ apiKeys: apiKeys() }).authenticate(header),
    ).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('should reject a wrong API key', async () => {
    await expect(
      new Authenticator({ apiKeys: apiKeys(), jwt: jwt() }).authenticate('Bearer nope'),
    ).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('should verify a JWT-shaped credential as a JWT, keeping its expired reason', async () => {
    const authenticator = new Authenticator({ apiKeys: apiKeys(), jwt: jwt() });
    const good = await signToken(
      key,
      { sub: 'u', realm_access: { roles: ['viewer'] } },
      { issuer },
    );
    const expired = await signToken(key, { sub: 'u' }, { issuer, expiresAt: nowSeconds() - 3600 });

    await expect(authenticator.authenticate(`Bearer ${good}`)).resolves.toMatchObject({
      source: 'jwt',
      roles: [Role.VIEWER],
    });
    await expect(authenticator.authenticate(`Bearer ${expired}`)).rejects.toMatchObject({
      reason: 'expired',
    });
  });

  it('should try a dotted credential as an API key when JWTs are not configured', async () => {
    const dotted = 'part.of.key';
    const authenticator = new Authenticator({
      apiKeys: new ApiKeyVerifier(parseApiKeys(`dotted:viewer:${hashApiKey(dotted)}`)),
    });

    await expect(authenticator.authenticate(`Bearer ${dotted}`)).resolves.toMatchObject({
      name: 'dotted',
    });
  });

  it('should reject an API key when only JWTs are configured', async () => {
    await expect(
      new Authenticator({ jwt: jwt() }).authenticate(`Bearer ${OPERATOR_KEY}`),
    ).rejects.toMatchObject({ reason: 'invalid' });
  });
});

describe('authChecker', () => {
  const check = (context: AuthContext, roles: string[]) =>
    authChecker({ context, root: {}, args: {}, info: {} as GraphQLResolveInfo }, roles);

  it.each([
    [[Role.VIEWER], ['viewer']],
    [[Role.OPERATOR, Role.VIEWER], ['viewer']],
    [[Role.OPERATOR, Role.VIEWER], ['operator']],
    [[Role.VIEWER], ['operator', 'viewer']],
    [[], []],
  ])('should let a principal with roles %j through %j', (roles, required) => {
    expect(check({ principal: principal(roles) }, required)).toBe(true);
  });

  it('should rank operator above viewer even when the principal lists operator alone', () => {
    expect(check({ principal: principal([Role.OPERATOR]) }, ['viewer'])).toBe(true);
  });

  it.each([{}, { principal: null }])('should reject %j as unauthenticated', (context) => {
    expect(() => check(context, ['viewer'])).toThrow(
      expect.objectContaining({ code: ErrorCode.UNAUTHENTICATED }),
    );
    expect(() => check(context, [])).toThrow(DomainError);
  });

  it('should reject a principal whose credential has expired since it connected', () => {
    const expired = principal([Role.OPERATOR], { expiresAt: new Date(Date.now() - 1000) });

    expect(() => check({ principal: expired }, ['viewer'])).toThrow(
      expect.objectContaining({ code: ErrorCode.UNAUTHENTICATED, reason: 'expired' }),
    );
  });

  it.each([
    [[Role.VIEWER], ['operator']],
    [[], ['viewer']],
  ])('should forbid a principal with roles %j from %j', (roles, required) => {
    expect(() => check({ principal: principal(roles) }, required)).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
    );
  });

  it('should fail loudly on a role name no principal can hold', () => {
    expect(() => check({ principal: principal([Role.OPERATOR]) }, ['admin'])).toThrow(
      /unknown role "admin"/,
    );
  });

  describe('in a type-graphql schema', () => {
    @Resolver()
    class ProbeResolver {
      @Authorized(Role.VIEWER)
      @Query(() => String)
      look(): string {
        return 'seen';
      }

      @Authorized(Role.OPERATOR)
      @Mutation(() => String)
      act(): string {
        return 'done';
      }
    }

    const run = async (source: string, context: AuthContext) => {
      const schema = await buildSchema({ resolvers: [ProbeResolver], authChecker });
      const result = await execute({ schema, document: parse(source), contextValue: context });
      const format = createErrorFormatter(testLogger());
      return {
        data: result.data,
        errors: result.errors?.map((error) => format(error.toJSON(), error)),
      };
    };

    it('should show clients UNAUTHENTICATED and FORBIDDEN codes', async () => {
      const viewer = { principal: principal([Role.VIEWER]) };

      await expect(run('{ look }', viewer)).resolves.toEqual({
        data: { look: 'seen' },
        errors: undefined,
      });
      await expect(run('mutation { act }', viewer)).resolves.toMatchObject({
        errors: [{ message: expect.stringMatching(/operator/), extensions: { code: 'FORBIDDEN' } }],
      });
      await expect(run('{ look }', {})).resolves.toMatchObject({
        errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });
  });
});
