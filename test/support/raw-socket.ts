import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/** A graphql-ws server message, as far as these tests look at one. */
export interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/**
 * A WebSocket that speaks the graphql-transport-ws protocol by hand, so tests can send what no
 * well-behaved client would.
 */
export class RawSocket {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<Closed>;
  private listeners: (() => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      try {
        this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      } catch {
        this.messages.push({ type: 'unparseable', payload: data.toString() });
      }
      this.listeners.forEach((listener) => listener());
    });
    // A frame the server refuses (too large) makes `send` fail locally too; the close tells.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.listeners.forEach((listener) => listener());
      });
    });
  }

  /** Opens a connection; unless `init` is false, also sends connection_init and waits for the ack. */
  static async open(
    graphqlUrl: string,
    options: { authorization?: string; init?: boolean; protocol?: string } = {},
  ): Promise<RawSocket> {
    const socket = new WebSocket(
      graphqlUrl.replace(/^http/, 'ws'),
      options.protocol ?? 'graphql-transport-ws',
    );
    const raw = new RawSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (options.init !== false) {
      raw.send({
        type: 'connection_init',
        payload: options.authorization ? { authorization: options.authorization } : {},
      });
      await raw.waitFor((message) => message.type === 'connection_ack');
    }
    return raw;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a message as JSON, or a string (or bytes) as it is. */
  send(message: object | string | Buffer): void {
    const data =
      typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message);
    this.socket.send(data, () => undefined);
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  /** The first message (already received or still to come) that matches; fails if the socket closes first. */
  async waitFor(
    matches: (message: ServerMessage) => boolean,
    timeoutMs = 5_000,
  ): Promise<ServerMessage> {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const found = this.messages.find(matches);
        if (found) {
          done();
          resolve(found);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error('socket closed before a matching message'));
        }
      };
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((listener) => listener !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** Waits until `count` messages match. */
  async waitForCount(
    matches: (message: ServerMessage) => boolean,
    count: number,
    timeoutMs = 10_000,
  ): Promise<ServerMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter(matches);
      if (found.length >= count) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(`${found.length} of ${count} matching messages within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Runs one query or mutation on this connection and returns its result (or its errors). */
  async execute(id: string, query: string): Promise<ServerMessage> {
    this.subscribe(id, query);
    return await this.waitFor(
      (message) => message.id === id && (message.type === 'next' || message.type === 'error'),
    );
  }

  close(): void {
    this.socket.close(1000);
  }

  terminate(): void {
    this.socket.terminate();
  }
}
