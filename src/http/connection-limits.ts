import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config';

export type ConnectionLimits = Config['http']['limits'];

/**
 * How often Node looks for requests past their timeout. Its default, 30 s, would let a request
 * run up to 30 s past its own.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * An HTTP server whose clients cannot hold its sockets: a request must arrive whole within its
 * timeouts (else 408), and connections beyond the caps are dropped as they are accepted.
 */
export function createLimitedServer(listener: RequestListener, limits: ConnectionLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  if (limits.maxConnectionsPerAddress > 0) {
    capPerAddress(server, limits.maxConnectionsPerAddress);
  }
  return server;
}

/** Behind a proxy every connection comes from its address: the cap is then the proxy's. */
function capPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) {
      // Closed before it could be counted.
      return;
    }
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) {
        open.set(address, left);
      } else {
        open.delete(address);
      }
    });
  });
}
