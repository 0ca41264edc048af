import { startTestApp, type TestApp } from '../support/test-app';

describe('HTTP surface', () => {
  let app: TestApp;
  let origin: string;

  const post = async (query: string) => {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions: { code: string } }[];
    };
    return { status: response.status, body };
  };

  beforeAll(async () => {
    app = await startTestApp();
    origin = new URL(app.graphqlUrl).origin;
  });

  afterAll(async () => {
    await app.close();
  });

  it('should serve GraphiQL to a browser, loading nothing from another origin', async () => {
    const response = await fetch(app.graphqlUrl, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1])
      .filter((source) => !source.startsWith('data:'));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/')).toBe(true);
      const asset = await fetch(new URL(source, origin));
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('should answer GraphQL to a GET that asks for JSON', async () => {
    const response = await fetch(
      `${app.graphqlUrl}?query=${encodeURIComponent('{ workers { totalCount } }')}`,
      {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      },
    );

    expect(await response.json()).toEqual({ data: { workers: { totalCount: 0 } } });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('should tell caches not to keep any GraphQL answer', async () => {
    const answers = await Promise.all(
      ['{ workers { totalCount } }', '{ nope }'].map((query) =>
        fetch(app.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        }),
      ),
    );

    expect(answers.map((answer) => answer.headers.get('cache-control'))).toEqual([
      'no-store',
      'no-store',
    ]);
  });

  it('should point a subscription sent over HTTP to the WebSocket endpoint', async () => {
    const { status, body } = await post('subscription { workerStatusChanged { status } }');

    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/WebSocket/),
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('should report liveness and readiness', async () => {
    expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${origin}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('should mask an unexpected failure and keep serving', async () => {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    await db.query(`ALTER TABLE "${app.schema}".worker RENAME TO worker_gone`);
    try {
      const { body } = await post('{ workers { totalCount } }');

      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        }),
      ]);
      expect(JSON.stringify(body)).not.toMatch(/relation|does not exist|SELECT/i);
    } finally {
      await db.query(`ALTER TABLE "${app.schema}".worker_gone RENAME TO worker`);
      await db.end();
    }
    expect((await post('{ workers { totalCount } }')).body).toEqual({
      data: { workers: { totalCount: 0 } },
    });
  });
});
