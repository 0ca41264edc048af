import { readFile } from 'node:fs/promises';
import { createTransport, type Transporter } from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer';
import { describeNetworkCode, fieldOf } from './network-failures';
import type { OutgoingMail } from './outgoing';
import type { EmailSettings } from './receivers';
import type { DeliveryResult } from './webhook-sender';

/** What failed, by nodemailer's error code, for the failures that come with an SMTP reply. */
const REJECTED_STEPS = new Map<string, string>([
  ['EAUTH', 'authentication rejected'],
  ['EENVELOPE', 'sender or recipients rejected'],
  ['EMESSAGE', 'message rejected'],
]);

/** nodemailer's codes for the failures before any reply, when the socket's own code says nothing. */
const CONNECTION_FAILURES = new Map<string, string>([
  ['ETLS', 'TLS negotiation failed'],
  ['EDNS', 'DNS lookup failed'],
  ['ESOCKET', 'connection failed'],
  ['ECONNECTION', 'connection closed'],
  ['EPROTOCOL', 'invalid SMTP reply'],
]);

/** Failures that the same settings will meet again: retrying cannot help. */
const CONFIGURATION_FAILURES = new Map<string, string>([
  ['ENOAUTH', 'the server asks for credentials the SMTP URL does not carry'],
  ['ECONFIG', 'invalid SMTP settings'],
]);

/**
 * Mails over one pooled SMTP connection set, opened on the first message. Never throws. Error
 * texts never include the server's replies nor the underlying error's message: they can name
 * the sender, the recipients or the credentials, and they end up in logs and in the API.
 */
export class SmtpSender {
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly email: EmailSettings,
    private readonly timeoutMs: number,
  ) {}

  async send(message: OutgoingMail): Promise<DeliveryResult> {
    let transport: Transporter;
    try {
      transport = await this.transportOnce();
    } catch {
      return { ok: false, retryable: false, status: null, error: 'cannot read the SMTP CA file' };
    }
    try {
      const info = await transport.sendMail(message);
      return { ok: true, status: replyCodeOf(info.response) ?? 250 };
    } catch (error) {
      return this.outcomeOf(error);
    }
  }

  async close(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    try {
      (await transport)?.close();
    } catch {
      // The transport never opened (its CA file could not be read): nothing to close.
    }
  }

  private transportOnce(): Promise<Transporter> {
    this.transport ??= this.openTransport().catch((error: unknown) => {
      // The next message tries again: the operator may have fixed the file meanwhile.
      this.transport = undefined;
      throw error;
    });
    return this.transport;
  }

  private async openTransport(): Promise<Transporter> {
    const url = new URL(this.email.smtpUrl);
    const secure = url.protocol === 'smtps:';
    const ca =
      this.email.tlsCaFile === undefined ? undefined : await readFile(this.email.tlsCaFile);
    const options: SMTPPoolOptions & { pool: true } = {
      pool: true,
      // The job store retries with backoff, and counts the attempts an operator sees.
      maxRequeues: 0,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      secure,
      requireTLS: !secure && !this.email.insecure,
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      tls: ca && { ca },
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      dnsTimeout: this.timeoutMs,
      logger: false,
      // Messages are ours, but nothing in them is to be read from disk or fetched.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    return createTransport(options);
  }

  private outcomeOf(error: unknown): DeliveryResult {
    const code = stringField(error, 'code') ?? '';
    const responseCode = fieldOf(error, 'responseCode');
    if (code === 'ETLS' && typeof responseCode === 'number') {
      // Not a refusal of the message: whatever stood between us and TLS may be gone next time.
      return {
        ok: false,
        retryable: true,
        status: responseCode,
        error: `SMTP ${responseCode} STARTTLS refused`,
      };
    }
    if (typeof responseCode === 'number') {
      // nodemailer knows RFC 5321's exceptions (503 is a bad sequence, not a refusal of the message).
      const permanent = fieldOf(error, 'permanent') ?? responseCode >= 500;
      const step = REJECTED_STEPS.get(code) ?? 'rejected';
      return {
        ok: false,
        retryable: permanent !== true,
        status: responseCode,
        error: `SMTP ${responseCode} ${step}`,
      };
    }
    const misconfigured = CONFIGURATION_FAILURES.get(code);
    if (misconfigured) {
      return { ok: false, retryable: false, status: null, error: misconfigured };
    }
    return { ok: false, retryable: true, status: null, error: this.describeFailure(error, code) };
  }

  private describeFailure(error: unknown, code: string): string {
    if (code === 'ETIMEDOUT') {
      return `timed out after ${this.timeoutMs} ms`;
    }
    // nodemailer keeps the socket's own code, e.g. ECONNREFUSED under its ESOCKET.
    const original = stringField(error, 'originalCode');
    const network = original && describeNetworkCode(original);
    if (network) {
      return network;
    }
    const words = CONNECTION_FAILURES.get(code);
    return words ? `${words} (${code})` : 'SMTP delivery failed';
  }
}

/** 250 out of `250 2.0.0 Ok: queued as …`. */
function replyCodeOf(response: unknown): number | undefined {
  const match = typeof response === 'string' ? /^\d{3}/.exec(response) : null;
  return match ? Number(match[0]) : undefined;
}

function stringField(value: unknown, field: string): string | undefined {
  const found = fieldOf(value, field);
  return typeof found === 'string' ? found : undefined;
}
