import { request } from 'node:http';

export interface JsonAnswer {
  status: number;
  /** The body exactly as sent, to compare byte for byte. */
  text: string;
}

/** One POST on a connection of its own, so no idle socket outlives the handler under test. */
export function postJson(url: string, body: string): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
