import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardRouter } from '../../src/http/dashboard';
import { createLogger } from '../../src/logger';
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

  it('should refuse a GET that could come from another site, as CSRF prevention asks', async () => {
    const get = (headers: Record<string, string>) =>
      fetch(
        `${app.graphqlUrl}?query=${encodeURIComponent('query Count { workers { totalCount } }')}`,
        {
          headers: { accept: 'application/json', ...headers },
        },
      );

    const bare = await get({});
    const named = await get({ 'x-apollo-operation-name': 'Count' });
    const preflighted = await get({ 'apollo-require-preflight': 'true' });

    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/Cross-Site Request Forgery/);
    for (const answer of [named, preflighted]) {
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ data: { workers: { totalCount: 0 } } });
    }
  });

  it('should run an automatic persisted query by its hash once it has been sent in full', async () => {
    const query = 'query PersistedCount { workers { totalCount } }';
    const persistedQuery = {
      version: 1,
      sha256Hash: createHash('sha256').update(query).digest('hex'),
    };
    const postJson = (body: object) =>
      fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const byHashOverGet = () =>
      fetch(
        `${app.graphqlUrl}?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery }))}`,
        { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } },
      ).then(async (response) => ({ status: response.status, body: await response.json() }));

    const unknown = await postJson({ extensions: { persistedQuery } });
    const wrongHash = await postJson({
      query,
      extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    });
    const registered = await postJson({ query, extensions: { persistedQuery } });
    const byHash = await postJson({ extensions: { persistedQuery } });
    const overGet = await byHashOverGet();

    expect(unknown.body).toMatchObject({
      errors: [
        { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      ],
    });
    expect(wrongHash.status).toBe(400);
    expect(wrongHash.body).toEqual({
      errors: [
        { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
    for (const answer of [registered, byHash, overGet]) {
      expect(answer).toEqual({ status: 200, body: { data: { workers: { totalCount: 0 } } } });
    }
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

describe('dashboard', () => {
  const INDEX_HTML =
    '<!doctype html><title>Fleet</title><script type="module" src="/assets/app-abc123.js"></script>\n';
  const APP_JS = 'document.title = "Fleet";\n';
  let root: string;
  let built: TestApp;
  let unbuilt: TestApp;

  /** What the server answers to a path exactly as written: fetch would resolve its dot segments. */
  const rawGet = (app: TestApp, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(app.url);
      get({ hostname, port, path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }).on('error', reject);
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cwm-dashboard-'));
    const dir = join(root, 'web');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await mkdir(join(root, 'empty'));
    await Promise.all([
      writeFile(join(dir, 'index.html'), INDEX_HTML),
      writeFile(join(dir, 'assets', 'app-abc123.js'), APP_JS),
      writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>'),
      writeFile(join(dir, '.env'), 'SECRET=in-a-dotfile'),
      writeFile(join(root, 'outside.txt'), 'outside the dashboard'),
    ]);
    [built, unbuilt] = await Promise.all([
      startTestApp({ DASHBOARD_DIR: dir }),
      startTestApp({ DASHBOARD_DIR: join(root, 'empty') }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([built?.close(), unbuilt?.close()]);
    await rm(root, { recursive: true, force: true });
  });

  it('should serve the page at /, to be revalidated, under the Content-Security-Policy', async () => {
    const page = await fetch(built.url);
    const head = await fetch(built.url, { method: 'HEAD' });

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
    expect(await page.text()).toBe(INDEX_HTML);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('should let caches keep a hashed asset for a year, and revalidate the files from public/', async () => {
    const asset = await fetch(`${built.url}/assets/app-abc123.js`);
    const favicon = await fetch(`${built.url}/favicon.svg`);

    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe(APP_JS);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(favicon.headers.get('cache-control')).toBe('no-cache');
  });

  it('should answer 404 for a missing asset, a directory, a dotfile and a path out of the build', async () => {
    const paths = [
      '/assets/app-missing.js',
      '/assets',
      '/assets/',
      '/.env',
      '/assets/../../outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/%2e%2e/outside.txt',
    ];

    const answers = await Promise.all(paths.map((path) => rawGet(built, path)));

    expect(answers.map(({ status }) => status)).toEqual(paths.map(() => 404));
    for (const { body } of answers) {
      expect(body).not.toMatch(/outside the dashboard|in-a-dotfile|app-abc123/);
    }
  });

  it('should leave GraphQL, GraphiQL and the health endpoints where they were', async () => {
    const graphiql = await fetch(built.graphqlUrl, { headers: { accept: 'text/html' } });
    const answer = await fetch(built.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ workers { totalCount } }' }),
    });

    expect(await graphiql.text()).toMatch(/GraphiQL/);
    expect(await answer.json()).toEqual({ data: { workers: { totalCount: 0 } } });
    expect(await (await fetch(`${built.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('should answer / with 503 and how to build, without naming the directory, while there is no build', async () => {
    const page = await fetch(unbuilt.url);
    const asset = await fetch(`${unbuilt.url}/assets/app-abc123.js`);
    const text = await page.text();

    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/npm run build/);
    expect(text).not.toContain(root);
    expect(asset.status).toBe(404);
  });

  it('should warn once at start, naming the directory with no build', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
    const dir = join(root, 'empty');

    dashboardRouter(dir, logger);
    dashboardRouter(join(root, 'web'), logger);

    expect(lines.map((line) => JSON.parse(line) as { level: number; dir: string })).toEqual([
      expect.objectContaining({ level: 40, dir }),
    ]);
  });
});
