import { connect, type Socket } from 'node:net';
import { RawSocket } from '../support/raw-socket';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const MAX_CONNECTIONS_PER_ADDRESS = 4;
/** Node looks for requests past their timeout once a second; the rest is the machine's. */
const TIMEOUT_SLACK_MS = 2_000;

/** A TCP connection that writes what a test says, and keeps what the server answers. */
interface TcpClient {
  readonly socket: Socket;
  received(): string;
  /** Milliseconds from connecting until the server closed the connection. */
  readonly closed: Promise<number>;
}

async function openTcp(url: string): Promise<TcpClient> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(performance.now() - started)),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // A connection the server drops may end in a reset: the close tells.
  socket.on('error', () => undefined);
  return { socket, received: () => Buffer.concat(chunks).toString(), closed };
}

/** When the connection closed (ms after it opened), or undefined if it is still open after `ms`. */
async function closedWithin(client: TcpClient, ms: number): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const open = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return await Promise.race([client.closed, open]).finally(() => clearTimeout(timer));
}

/** Writes `text` a character at a time, every `everyMs`, until the connection closes. */
function trickle(client: TcpClient, text: string, everyMs: number): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (client.socket.destroyed) {
      clearInterval(timer);
      return;
    }
    client.socket.write(text[sent % text.length] ?? ' ');
    sent += 1;
  }, everyMs);
  void client.closed.then(() => clearInterval(timer));
}

describe('HTTP timeouts and connection caps', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: String(MAX_CONNECTIONS_PER_ADDRESS),
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('should answer 408 and close a connection whose body comes a byte a second, once the request timeout is over', async () => {
    const client = await openTcp(app.graphqlUrl);

    client.socket.write(
      'POST /graphql HTTP/1.1\r\nHost: monitor\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n',
    );
    trickle(client, '{"query":"{ workers { totalCount } }"}', 1_000);
    const closedAfterMs = await closedWithin(client, REQUEST_TIMEOUT_MS + TIMEOUT_SLACK_MS);

    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('should answer 408 and close a connection whose headers never end, once the headers timeout is over', async () => {
    const client = await openTcp(app.graphqlUrl);

    trickle(client, 'GET /healthz HTTP/1.1\r\nHost: monitor\r\nX-Padding: ', 100);
    const closedAfterMs = await closedWithin(client, HEADERS_TIMEOUT_MS + TIMEOUT_SLACK_MS);

    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('should keep a WebSocket open past the request timeout: its request was over at the upgrade', async () => {
    const socket = await RawSocket.open(app.graphqlUrl);

    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + TIMEOUT_SLACK_MS));

    expect(await socket.execute('q', '{ workers { totalCount } }')).toMatchObject({
      type: 'next',
      payload: { data: { workers: { totalCount: 0 } } },
    });
    socket.close();
    await socket.closed;
  });

  it('should drop a connection beyond the per-address cap at once, serve the others, and take one again once a slot is free', async () => {
    // Upgraded to WebSockets, the held connections are not subject to the request timeouts.
    // The previous tests' connections may still count until the server has seen them close.
    const held: RawSocket[] = [];
    for (let index = 0; index < MAX_CONNECTIONS_PER_ADDRESS; index += 1) {
      held.push(await waitFor(() => RawSocket.open(app.graphqlUrl).catch(() => undefined)));
    }

    const extra = await openTcp(app.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: monitor\r\n\r\n');
    const extraClosedAfterMs = await closedWithin(extra, 500);
    const stillServing = await held[0]?.execute('q', '{ workers { totalCount } }');
    held[1]?.close();
    await held[1]?.closed;
    const again = await waitFor(async () => {
      const client = await openTcp(app.url).catch(() => undefined);
      return client && (await closedWithin(client, 200)) === undefined && client;
    });
    again.socket.destroy();
    held.forEach((socket) => socket.close());

    expect(extraClosedAfterMs).toBeDefined();
    expect(extra.received()).toBe('');
    expect(stillServing).toMatchObject({ type: 'next' });
    expect(again.received()).toBe('');
  });
});
