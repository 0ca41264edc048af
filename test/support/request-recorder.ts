import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed, when it was JSON; else empty. */
  json: Record<string, unknown> & { data?: Record<string, unknown> };
}

export interface RequestRecorder {
  /** Its URL, without a trailing slash: any path under it is recorded. */
  readonly base: string;
  readonly received: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in for a receiver (webhook, PagerDuty) or an OTLP collector: records every request
 * and answers 200 with `{}`.
 */
export async function startRequestRecorder(): Promise<RequestRecorder> {
  const received: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const isJson = req.headers['content-type']?.includes('json') ?? false;
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body,
        json: isJson ? (JSON.parse(body) as RecordedRequest['json']) : {},
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
