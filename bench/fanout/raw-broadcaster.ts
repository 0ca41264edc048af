import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** The baseline: a bare `ws` server that sends one text to every socket, nothing else. */
export interface RawBroadcaster {
  readonly url: string;
  broadcast(text: string): void;
  openConnections(): number;
  close(): Promise<void>;
}

export async function startRawBroadcaster(): Promise<RawBroadcaster> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    broadcast(text) {
      for (const socket of server.clients) {
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(text);
        }
      }
    },
    openConnections: () => server.clients.size,
    async close() {
      server.clients.forEach((socket) => socket.terminate());
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
