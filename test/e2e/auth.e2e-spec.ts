import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  RefreshWorkerDocument,
  ViewerDocument,
  type ViewerQuery,
  WorkerStatusChangedDocument,
  type WorkerStatusChangedSubscription,
  WorkersDocument,
} from '../generated/graphql';
import { request, subscribeReady, wsClient } from '../support/graphql-client';
import { RawSocket } from '../support/raw-socket';
import {
  createSigningKey,
  nowSeconds,
  signToken,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from '../support/jwks-server';
import { isProbe, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const VIEWER_KEY = 'viewer-key-0123456789abcdef0123456789abcdef';
const OPERATOR_KEY = 'operator-key-0123456789abcdef0123456789abcdef';
const ISSUER = 'https://idp.example.com/realms/lab';
const UNKNOWN_WORKER = '00000000-0000-4000-8000-000000000000';
/** The clock leeway of the app under test: short, so that a socket's expiry comes soon. */
const LEEWAY_SECONDS = 4;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (credential: string) => `Bearer ${credential}`;

describe('authentication and roles', () => {
  let jwks: JwksServer;
  let key: SigningKey;
  let app: TestApp;

  const token = (roles: string[], options: { issuer?: string; expiresAt?: number } = {}) =>
    signToken(
      key,
      { sub: 'someone', preferred_username: 'lab-admin', realm_access: { roles } },
      { issuer: options.issuer ?? ISSUER, expiresAt: options.expiresAt },
    );

  /** A query every role may run, and a mutation only operators may (refused past auth: NOT_FOUND). */
  const asQuery = (authorization?: string) =>
    request(app.graphqlUrl, WorkersDocument, {}, authorization);
  const asMutation = (authorization?: string) =>
    request(app.graphqlUrl, RefreshWorkerDocument, { id: UNKNOWN_WORKER }, authorization);
  const viewer = (authorization?: string) =>
    request(app.graphqlUrl, ViewerDocument, {}, authorization);
  const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    response.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    key = await createSigningKey('lab-key-1');
    jwks = await startJwksServer([key.publicJwk]);
    app = await startTestApp({
      API_KEYS: `ci-viewer:viewer:${sha256(VIEWER_KEY)},ci-operator:operator:${sha256(OPERATOR_KEY)}`,
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: ISSUER,
      AUTH_CLOCK_TOLERANCE_SECONDS: String(LEEWAY_SECONDS),
    });
  });

  afterAll(async () => {
    await app.close();
    await jwks.close();
  });

  describe('over HTTP', () => {
    it('should answer UNAUTHENTICATED without credentials, and 401 for wrong ones', async () => {
      const missing = await asQuery();
      const wrongKey = await asQuery(bearer('not-a-key'));
      const notBearer = await asQuery('Basic dXNlcjpwYXNz');

      expect(codeOf(missing)).toBe('UNAUTHENTICATED');
      expect(missing.data).toBeNull();
      for (const refused of [wrongKey, notBearer]) {
        expect(refused.status).toBe(401);
        expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      }
    });

    it('should let a viewer key query but not mutate, and an operator key do both', async () => {
      const viewerQuery = await asQuery(bearer(VIEWER_KEY));
      const viewerMutation = await asMutation(bearer(VIEWER_KEY));
      const operatorMutation = await asMutation(bearer(OPERATOR_KEY));

      expect(viewerQuery.errors).toBeUndefined();
      expect(viewerQuery.data?.workers.totalCount).toBe(0);
      expect(codeOf(viewerMutation)).toBe('FORBIDDEN');
      expect(codeOf(operatorMutation)).toBe('NOT_FOUND');
    });

    it('should take roles from a JWT signed by the identity provider', async () => {
      const operator = await asMutation(bearer(await token(['operator'])));
      const viewer = await asMutation(bearer(await token(['viewer', 'offline_access'])));
      const noRole = await asQuery(bearer(await token(['offline_access'])));

      expect(codeOf(operator)).toBe('NOT_FOUND');
      expect(codeOf(viewer)).toBe('FORBIDDEN');
      expect(codeOf(noRole)).toBe('FORBIDDEN');
    });

    it('should tell a caller its name and roles, an operator holding viewer too', async () => {
      const asViewer = await viewer(bearer(VIEWER_KEY));
      const asOperator = await viewer(bearer(OPERATOR_KEY));
      const asTokenViewer = await viewer(bearer(await token(['viewer', 'offline_access'])));

      expect(asViewer.data).toEqual({
        viewer: { name: 'ci-viewer', roles: ['VIEWER'], authenticationEnabled: true },
      });
      expect(asOperator.data).toEqual({
        viewer: { name: 'ci-operator', roles: ['OPERATOR', 'VIEWER'], authenticationEnabled: true },
      });
      expect(asTokenViewer.data).toEqual({
        viewer: { name: 'lab-admin', roles: ['VIEWER'], authenticationEnabled: true },
      });
    });

    it('should not tell an anonymous caller who it is, and refuse a wrong key with 401', async () => {
      const missing = await viewer();
      const wrongKey = await viewer(bearer('not-a-key'));

      expect(codeOf(missing)).toBe('UNAUTHENTICATED');
      expect(missing.data).toBeNull();
      expect(wrongKey.status).toBe(401);
      expect(codeOf(wrongKey)).toBe('UNAUTHENTICATED');
    });

    it('should refuse an expired JWT and one from another issuer with 401', async () => {
      const expired = await asQuery(
        bearer(await token(['operator'], { expiresAt: nowSeconds() - 120 })),
      );
      const foreign = await asQuery(
        bearer(await token(['operator'], { issuer: 'https://evil.example.com/realms/lab' })),
      );
      const stranger = await createSigningKey('lab-key-1');
      const forged = await asQuery(
        bearer(
          await signToken(
            stranger,
            { sub: 'x', realm_access: { roles: ['operator'] } },
            { issuer: ISSUER },
          ),
        ),
      );

      for (const refused of [expired, foreign, forged]) {
        expect(refused.status).toBe(401);
        expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      }
    });

    it('should accept a JWT within the clock leeway past its exp, and refuse one past the leeway with 401', async () => {
      const inside = await asQuery(
        bearer(await token(['viewer'], { expiresAt: nowSeconds() - 1 })),
      );
      const past = await asQuery(
        bearer(await token(['viewer'], { expiresAt: nowSeconds() - LEEWAY_SECONDS - 1 })),
      );

      expect(inside.status).toBe(200);
      expect(inside.errors).toBeUndefined();
      expect(inside.data?.workers.totalCount).toBe(0);
      expect(past.status).toBe(401);
      expect(codeOf(past)).toBe('UNAUTHENTICATED');
    });
  });

  describe('over WebSocket', () => {
    const connect = (authorization?: string) => {
      const closes: { code: number; reason: string }[] = [];
      const client = wsClient(app.graphqlUrl, {
        authorization,
        onClosed: (code, reason) => closes.push({ code, reason }),
      });
      return { client, closes };
    };
    const watch = (client: ReturnType<typeof wsClient>) =>
      subscribeReady<WorkerStatusChangedSubscription, { workerId?: string }>(
        client,
        WorkerStatusChangedDocument,
        {},
        () => app.probe(undefined),
        isProbe,
      );

    it('should close a connection without or with wrong credentials with 4403', async () => {
      for (const authorization of [undefined, bearer('not-a-key')]) {
        const { client, closes } = connect(authorization);

        await expect(watch(client)).rejects.toMatchObject({ code: 4403 });
        await client.dispose();

        expect(closes[0]).toMatchObject({ code: 4403 });
      }
    });

    it('should run a viewer query, refuse a viewer mutation and run an operator mutation over the socket', async () => {
      const viewer = connect(bearer(VIEWER_KEY));
      const operator = connect(bearer(OPERATOR_KEY));
      const run = async (client: ReturnType<typeof wsClient>, query: string) => {
        const results = client.iterate({ query, variables: { id: UNKNOWN_WORKER } });
        const { value } = await results.next();
        await results.return?.();
        return value as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      };
      const mutation = 'mutation ($id: ID!) { refreshWorker(id: $id) { id } }';

      const viewerQuery = await run(viewer.client, 'query { workers { totalCount } }');
      const viewerMutation = await run(viewer.client, mutation);
      const operatorMutation = await run(operator.client, mutation);
      await Promise.all([viewer.client.dispose(), operator.client.dispose()]);

      expect(viewerQuery.errors).toBeUndefined();
      expect(viewerMutation.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(operatorMutation.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it("should tell the socket's caller who it is", async () => {
      const { client } = connect(bearer(OPERATOR_KEY));

      const results = client.iterate<ViewerQuery>({ query: print(ViewerDocument) });
      const { value } = await results.next();
      await results.return?.();
      await client.dispose();

      expect(value).toEqual({
        data: {
          viewer: {
            name: 'ci-operator',
            roles: ['OPERATOR', 'VIEWER'],
            authenticationEnabled: true,
          },
        },
      });
    });

    it('should let a viewer subscribe, taking the credential under any case of its name', async () => {
      const client = createClient({
        url: app.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        // As GraphiQL sends the headers of its Headers tab.
        connectionParams: { Authorization: bearer(VIEWER_KEY) },
      });

      const subscription = await watch(client);
      await subscription.close();
      await client.dispose();
    });

    it('should accept a token within the clock leeway past its exp, and close its subscription once the leeway is over', async () => {
      const exp = nowSeconds() - 1;
      const { client, closes } = connect(bearer(await token(['viewer'], { expiresAt: exp })));

      const subscription = await watch(client);
      const openAfterExp = closes.length === 0;
      await waitFor(() => closes.length > 0, 10_000, 20);
      const closedAt = Date.now();
      await subscription.close().catch(() => undefined);
      await client.dispose();

      expect(openAfterExp).toBe(true);
      // Not at its exp, seconds earlier; a timer may fire a few milliseconds early by Date.now().
      expect(closedAt).toBeGreaterThanOrEqual((exp + LEEWAY_SECONDS) * 1000 - 250);
      expect(closes[0]).toEqual({ code: 4403, reason: 'Forbidden: credentials expired' });
    });

    it('should refuse a token past the clock leeway at connection_init with 4403, never acknowledging it', async () => {
      const socket = await RawSocket.open(app.graphqlUrl, { init: false });
      const past = await token(['viewer'], { expiresAt: nowSeconds() - LEEWAY_SECONDS - 1 });

      socket.send({ type: 'connection_init', payload: { authorization: bearer(past) } });

      expect(await socket.closed).toEqual({ code: 4403, reason: 'Forbidden' });
      expect(socket.messages.map((message) => message.type)).not.toContain('connection_ack');
    });
  });
});

describe('identity provider unavailable', () => {
  let jwks: JwksServer;
  let key: SigningKey;
  let app: TestApp;

  beforeAll(async () => {
    key = await createSigningKey('lab-key-1');
    jwks = await startJwksServer([key.publicJwk]);
    jwks.failWith(503);
    app = await startTestApp({ AUTH_JWKS_URL: jwks.url, AUTH_ISSUER: ISSUER });
  });

  afterAll(async () => {
    await app.close();
    await jwks.close();
  });

  it('should answer 503 over HTTP and close a WebSocket with 1013, which the client retries until the keys come back', async () => {
    const credential = bearer(
      await signToken(
        key,
        { sub: 'someone', realm_access: { roles: ['viewer'] } },
        { issuer: ISSUER },
      ),
    );
    const closes: { code: number; reason: string }[] = [];
    const client = createClient({
      url: app.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 5,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 200)),
      connectionParams: { authorization: credential },
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          closes.push({ code, reason: String(reason) });
        },
      },
    });

    const overHttp = await request(app.graphqlUrl, WorkersDocument, {}, credential);
    const results = client.iterate({ query: '{ workers { totalCount } }' });
    const answer = results.next();
    await waitFor(() => closes.length > 0);
    jwks.failWith(null);
    const { value } = await answer;
    await results.return?.();
    await client.dispose();

    expect(overHttp.status).toBe(503);
    expect(overHttp.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(closes[0]).toEqual({
      code: 1013,
      reason: 'Try again later: the identity provider is unavailable',
    });
    expect(value).toEqual({ data: { workers: { totalCount: 0 } } });
  });
});

describe('authentication off', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('should tell every caller it is the anonymous operator, and that authentication is off', async () => {
    const response = await request(app.graphqlUrl, ViewerDocument, {});

    expect(response.data).toEqual({
      viewer: { name: 'anonymous', roles: ['OPERATOR', 'VIEWER'], authenticationEnabled: false },
    });
  });
});
