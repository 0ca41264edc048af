import { PRODUCT_NAME } from './notice-facts';

/** A POST to a receiver, built once per attempt and sent as is. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** What one notification sends to one receiver, whatever carries it. */
export type Outgoing =
  ({ transport: 'http' } & OutgoingRequest) | { transport: 'smtp'; message: OutgoingMail };

/** A JSON POST; `headers` adds to or overrides the usual ones. */
export function jsonRequest(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): OutgoingRequest {
  return {
    url,
    headers: { 'content-type': 'application/json', 'user-agent': PRODUCT_NAME, ...headers },
    body: JSON.stringify(payload),
  };
}
