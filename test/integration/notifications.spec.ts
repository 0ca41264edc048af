import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { retryDelayMs } from '../../src/jobs/job-catalogue';
import { buildOutgoing, type Outgoing } from '../../src/services/notifications/alert-notice';
import type { GroupNotice, NoticeAlert } from '../../src/services/notifications/group-notice';
import { NotificationSender } from '../../src/services/notifications/notification-sender';
import type {
  EmailSettings,
  NotificationSettings,
  Receiver,
  ReceiverKind,
} from '../../src/services/notifications/receivers';
import { sendRequest, type DeliveryResult } from '../../src/services/notifications/webhook-sender';
import { freePort } from '../support/free-port';

const PUBLIC_URL = 'https://cwm.example.org';
const OPSGENIE_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';
const SMTP_USER = 'mailer';
const SMTP_PASSWORD = 'p@ss:w/rd';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver on 127.0.0.1 that records every request and answers as `answer` says. */
class HttpReceiver {
  received: Received[] = [];
  answer: (response: ServerResponse) => void = () => undefined;
  baseUrl = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    this.received = [];
    this.answer = (response) => response.writeHead(200).end();
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { method, url, headers } = request;
        this.received.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
        this.answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  }
}

const cpuAlert = (overrides: Partial<NoticeAlert> = {}): NoticeAlert => ({
  id: 'alert-1',
  workerId: 'worker-1',
  kind: 'CPU_HIGH',
  state: 'FIRING',
  severity: 'CRITICAL',
  value: 97,
  threshold: 90,
  resolvedValue: null,
  message: 'CPU at 97 %, above the 90 % threshold for 3 samples',
  resolution: null,
  startedAt: '2026-11-24T12:00:00.000Z',
  resolvedAt: null,
  acknowledgedAt: null,
  worker: { id: 'worker-1', name: 'lab-1', awsInstanceId: 'i-0abc', awsRegion: 'us-east-1' },
  isNew: true,
  link: `${PUBLIC_URL}/#/workers/worker-1`,
  ...overrides,
});

const noticeOf = (overrides: Partial<GroupNotice> = {}): GroupNotice => ({
  eventId: 'group-1:1',
  type: 'FIRING',
  occurredAt: '2026-11-24T12:05:00.000Z',
  group: {
    id: 'group-1',
    key: 'kind=CPU_HIGH,region=us-east-1',
    labels: { kind: 'CPU_HIGH', region: 'us-east-1' },
    dedupKey: 'cml-worker-monitor:group-1',
  },
  firing: [cpuAlert()],
  firingCount: 1,
  resolved: [],
  resolvedCount: 0,
  groupResolved: false,
  link: `${PUBLIC_URL}/#/workers/worker-1`,
  ...overrides,
});

const settingsWith = (overrides: Partial<NotificationSettings> = {}): NotificationSettings => ({
  webhookUrls: [],
  webhookSecret: undefined,
  pagerDuty: undefined,
  opsgenie: undefined,
  email: undefined,
  source: '/cml-worker-monitor',
  timeoutMs: 5_000,
  publicUrl: PUBLIC_URL,
  routes: [],
  ...overrides,
});

const receiverOf = (kind: ReceiverKind, url: string): Receiver => ({
  key: `${kind.toLowerCase()}:0123456789abcdef`,
  kind,
  label: kind.toLowerCase(),
  url,
  route: { minSeverity: 'INFO', kinds: null, regions: null },
});

/** What the receiver must take, for tests about sending it. */
const outgoingFor = (receiver: Receiver, notice: GroupNotice, settings: NotificationSettings) => {
  const outgoing = buildOutgoing(receiver, notice, settings, new Date());
  if (!outgoing) {
    throw new Error(`the ${receiver.kind} receiver took nothing`);
  }
  return outgoing;
};

const errorOf = (result: DeliveryResult) => (result.ok ? '' : result.error);

describe(sendRequest.name, () => {
  const receiver = new HttpReceiver();
  beforeEach(() => receiver.start());
  afterEach(() => receiver.stop());

  const secretUrl = () =>
    `${receiver.baseUrl}/services/T0001/B0001/slacksecrettoken?token=querysecret`;
  const send = (timeoutMs = 5_000) =>
    sendRequest(
      {
        url: secretUrl(),
        headers: { 'content-type': 'application/json', 'x-test': 'yes' },
        body: '{"a":"é"}',
      },
      timeoutMs,
    );
  const expectNoUrlIn = (error: string) => {
    for (const part of [
      'slacksecrettoken',
      'querysecret',
      '/services',
      '127.0.0.1',
      receiver.baseUrl,
    ]) {
      expect(error).not.toContain(part);
    }
  };

  it('should POST the body and headers as built', async () => {
    await send();

    expect(receiver.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/services/T0001/B0001/slacksecrettoken?token=querysecret',
        body: '{"a":"é"}',
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-test': 'yes' }),
      }),
    ]);
  });

  it.each([200, 202, 204])('should report success on HTTP %i', async (status) => {
    receiver.answer = (response) =>
      response.writeHead(status).end(status === 204 ? undefined : 'thanks');

    await expect(send()).resolves.toEqual({ ok: true, status });
  });

  it.each([
    [500, 'HTTP 500 Internal Server Error'],
    [503, 'HTTP 503 Service Unavailable'],
    [429, 'HTTP 429 Too Many Requests'],
    [408, 'HTTP 408 Request Timeout'],
  ])('should report HTTP %i as worth retrying', async (status, error) => {
    receiver.answer = (response) =>
      response.writeHead(status, 'see https://leak.example/secret').end('no');

    const result = await send();

    expect(result).toEqual({ ok: false, retryable: true, status, error });
  });

  it.each([
    [400, 'HTTP 400 Bad Request'],
    [404, 'HTTP 404 Not Found'],
    [410, 'HTTP 410 Gone'],
  ])('should report HTTP %i as not worth retrying', async (status, error) => {
    receiver.answer = (response) => response.writeHead(status).end('no');

    await expect(send()).resolves.toEqual({ ok: false, retryable: false, status, error });
  });

  it('should not follow a redirect, nor retry it', async () => {
    receiver.answer = (response) => response.writeHead(302, { location: '/elsewhere' }).end();

    const result = await send();

    expect(result).toEqual({
      ok: false,
      retryable: false,
      status: 302,
      error: 'HTTP 302 Found (redirects are not followed)',
    });
    expect(receiver.received.map((request) => request.url)).toEqual([
      '/services/T0001/B0001/slacksecrettoken?token=querysecret',
    ]);
  });

  it('should give up on a receiver that does not answer in time, and retry later', async () => {
    receiver.answer = () => undefined;

    const started = Date.now();
    const result = await send(200);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      status: null,
      error: 'timed out after 200 ms',
    });
  });

  it('should report a refused connection as worth retrying, without the URL', async () => {
    const closedPort = await freePort();

    const result = await sendRequest(
      {
        url: `http://127.0.0.1:${closedPort}/services/T0001/B0001/slacksecrettoken`,
        headers: {},
        body: '',
      },
      5_000,
    );

    expect(result).toEqual({
      ok: false,
      retryable: true,
      status: null,
      error: 'connection refused (ECONNREFUSED)',
    });
    expectNoUrlIn(result.ok ? '' : result.error);
    expect(result.ok ? '' : result.error).not.toContain(String(closedPort));
  });

  it('should never put the URL in an error', async () => {
    const errors: string[] = [];
    for (const status of [500, 404, 302]) {
      receiver.answer = (response) =>
        response.writeHead(status, { location: secretUrl() }).end(secretUrl());
      const result = await send();
      errors.push(result.ok ? '' : result.error);
    }
    receiver.answer = () => undefined;
    const timedOut = await send(100);
    errors.push(timedOut.ok ? '' : timedOut.error);

    expect(errors).toHaveLength(4);
    errors.forEach((error) => {
      expect(error).not.toBe('');
      expectNoUrlIn(error);
    });
  });
});

describe(retryDelayMs.name, () => {
  const options = { baseMs: 1_000, maxMs: 60_000 };

  it('should double the delay with each attempt, from half to all of it', () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(500);
    expect(retryDelayMs(1, options, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, options, () => 1)).toBe(2_000);
    expect(retryDelayMs(4, options, () => 0)).toBe(4_000);
    expect(retryDelayMs(4, options, () => 0.5)).toBe(6_000);
  });

  it('should never wait longer than the cap, however many attempts failed', () => {
    expect(retryDelayMs(7, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(7, options, () => 0)).toBe(30_000);
    expect(retryDelayMs(2_000, options, () => 1)).toBe(60_000);
  });

  it('should stay within its bounds with the default randomness', () => {
    for (let i = 0; i < 100; i += 1) {
      const delay = retryDelayMs(3, options);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});

describe(NotificationSender.name, () => {
  describe('Opsgenie', () => {
    const receiver = new HttpReceiver();
    let sender: NotificationSender;
    let settings: NotificationSettings;

    beforeEach(async () => {
      await receiver.start();
      receiver.answer = (response) =>
        response
          .writeHead(202, { 'content-type': 'application/json' })
          .end('{"result":"Request will be processed","took":0.1,"requestId":"43a29c5c"}');
      settings = settingsWith({ opsgenie: { apiKey: OPSGENIE_KEY, apiUrl: receiver.baseUrl } });
      sender = new NotificationSender(settings);
    });

    afterEach(async () => {
      await sender.close();
      await receiver.stop();
    });

    const send = (notice: GroupNotice) =>
      sender.send(outgoingFor(receiverOf('OPSGENIE', receiver.baseUrl), notice, settings));

    it('should create, acknowledge and close the alert of a group by its alias', async () => {
      const results = [
        await send(noticeOf()),
        await send(noticeOf({ type: 'ACKNOWLEDGED', eventId: 'alert-1:acknowledged' })),
        await send(
          noticeOf({
            type: 'RESOLVED',
            eventId: 'group-1:2',
            firing: [],
            firingCount: 0,
            resolved: [cpuAlert({ state: 'RESOLVED', resolution: 'CPU at 20 %, below 85 %' })],
            resolvedCount: 1,
            groupResolved: true,
          }),
        ),
      ];

      expect(results).toEqual([202, 202, 202].map((status) => ({ ok: true, status })));
      const [create, acknowledge, close] = receiver.received;
      for (const request of receiver.received) {
        expect(request.method).toBe('POST');
        expect(request.headers.authorization).toBe(`GenieKey ${OPSGENIE_KEY}`);
        expect(request.headers['content-type']).toBe('application/json');
      }
      expect(create?.url).toBe('/v2/alerts');
      expect(JSON.parse(create?.body ?? '')).toMatchObject({
        message:
          '[CRITICAL] CPU_HIGH on lab-1 (i-0abc, us-east-1): 1 firing (1 new) — CPU 97 % above 90 %',
        alias: 'cml-worker-monitor:group-1',
        source: '/cml-worker-monitor',
        entity: 'lab-1',
        tags: ['CPU_HIGH', 'CRITICAL', 'us-east-1'],
        details: { firing: '1', new: '1', resolved: '0', link: `${PUBLIC_URL}/#/workers/worker-1` },
        priority: 'P1',
      });
      expect(acknowledge?.url).toBe(
        '/v2/alerts/cml-worker-monitor%3Agroup-1/acknowledge?identifierType=alias',
      );
      expect(JSON.parse(acknowledge?.body ?? '')).toEqual({
        source: '/cml-worker-monitor',
        note: '[CRITICAL] CPU_HIGH on lab-1 (i-0abc, us-east-1): 1 acknowledged',
      });
      expect(close?.url).toBe('/v2/alerts/cml-worker-monitor%3Agroup-1/close?identifierType=alias');
      expect(JSON.parse(close?.body ?? '')).toEqual({
        source: '/cml-worker-monitor',
        note: '[CRITICAL] CPU_HIGH on lab-1 (i-0abc, us-east-1): 1 resolved — CPU at 20 %, below 85 %',
      });
    });

    it('should retry when Opsgenie is rate limiting, and not when the key is refused', async () => {
      receiver.answer = (response) => response.writeHead(429).end();
      const limited = await send(noticeOf());
      receiver.answer = (response) => response.writeHead(401).end();
      const refused = await send(noticeOf());

      expect(limited).toEqual({
        ok: false,
        retryable: true,
        status: 429,
        error: 'HTTP 429 Too Many Requests',
      });
      expect(refused).toEqual({
        ok: false,
        retryable: false,
        status: 401,
        error: 'HTTP 401 Unauthorized',
      });
    });
  });

  describe('email', () => {
    /** What the server saw of one message, copied: the server reuses its session object. */
    interface Delivered {
      secure: boolean;
      user: unknown;
      from: string | undefined;
      to: string[];
      raw: string;
    }

    let certificates: { dir: string; caFile: string; key: Buffer; cert: Buffer };
    let server: SMTPServer | undefined;
    let delivered: Delivered[];
    let sessions: number;
    let sender: NotificationSender | undefined;

    beforeAll(() => {
      certificates = makeCertificates();
    });

    afterAll(() => {
      rmSync(certificates.dir, { recursive: true, force: true });
    });

    beforeEach(() => {
      delivered = [];
      sessions = 0;
    });

    afterEach(async () => {
      await sender?.close();
      sender = undefined;
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    });

    /** An SMTP server on 127.0.0.1 offering STARTTLS and asking for SMTP_USER's password. */
    const startServer = async (options: SMTPServerOptions = {}): Promise<number> => {
      const started = new SMTPServer({
        logger: false,
        key: certificates.key,
        cert: certificates.cert,
        closeTimeout: 100,
        onConnect: (_session, callback) => {
          sessions += 1;
          callback();
        },
        onAuth: (auth, _session, callback) =>
          auth.username === SMTP_USER && auth.password === SMTP_PASSWORD
            ? callback(null, { user: auth.username })
            : callback(smtpError(535, `5.7.8 ${auth.username ?? ''} is not welcome here`)),
        onData: (stream, session, callback) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            delivered.push({
              secure: session.secure,
              user: session.user,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
        ...options,
      });
      server = started;
      await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
      return (started.server.address() as AddressInfo).port;
    };

    const emailSettings = (port: number, overrides: Partial<EmailSettings> = {}) => ({
      smtpUrl: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
      from: 'cwm@example.org',
      to: ['oncall@example.org', 'lab-admins@example.org'],
      tlsCaFile: certificates.caFile,
      insecure: false,
      ...overrides,
    });

    const mail = (email: EmailSettings, notice = noticeOf(), timeoutMs = 5_000) => {
      const settings = settingsWith({ email, timeoutMs });
      sender = new NotificationSender(settings);
      return sender.send(outgoingFor(receiverOf('EMAIL', email.smtpUrl), notice, settings));
    };

    /** Nothing an error tells may name the server, the credentials or the addresses. */
    const expectNothingSecretIn = (error: string) => {
      for (const part of [
        SMTP_USER,
        SMTP_PASSWORD,
        'example.org',
        '127.0.0.1',
        'welcome',
        'leak',
      ]) {
        expect(error).not.toContain(part);
      }
    };

    it('should deliver over STARTTLS, trusting the CA file, with the credentials of the URL', async () => {
      const port = await startServer();

      const result = await mail(emailSettings(port));

      expect(result).toEqual({ ok: true, status: 250 });
      expect(delivered).toEqual([
        expect.objectContaining({
          secure: true,
          user: SMTP_USER,
          from: 'cwm@example.org',
          to: ['oncall@example.org', 'lab-admins@example.org'],
        }),
      ]);
      const message = parseMail(delivered[0]?.raw ?? '');
      expect(message.headers.from).toBe('cwm@example.org');
      expect(message.headers.to).toBe('oncall@example.org, lab-admins@example.org');
      expect(message.headers.subject).toBe(
        '[CRITICAL] CPU_HIGH: 1 firing (1 new) on lab-1 (i-0abc, us-east-1)',
      );
      expect(message.text).toContain('  Measure: CPU 97 % above 90 %\n');
      expect(message.text).toContain(`  Worker page: ${PUBLIC_URL}/#/workers/worker-1\n`);
      expect(message.html).toContain(
        `<a href="${PUBLIC_URL}/#/workers/worker-1">${PUBLIC_URL}/#/workers/worker-1</a>`,
      );
      expect(message.html).toContain('<th align="left">Measure</th><td>CPU 97 % above 90 %</td>');
    });

    it('should deliver over TLS from the first byte on smtps://', async () => {
      const port = await startServer({ secure: true });
      const email = emailSettings(port, {
        smtpUrl: `smtps://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
      });

      const result = await mail(email);

      expect(result).toEqual({ ok: true, status: 250 });
      expect(delivered.map(({ secure }) => secure)).toEqual([true]);
    });

    it('should send several messages over one pooled connection', async () => {
      const port = await startServer();
      const email = emailSettings(port);
      const settings = settingsWith({ email });
      const pooled = new NotificationSender(settings);
      sender = pooled;
      const outgoing = outgoingFor(receiverOf('EMAIL', email.smtpUrl), noticeOf(), settings);

      const results = [await pooled.send(outgoing), await pooled.send(outgoing)];
      results.push(await pooled.send(outgoing));

      expect(results).toEqual([1, 2, 3].map(() => ({ ok: true, status: 250 })));
      expect(delivered).toHaveLength(3);
      expect(sessions).toBe(1);
    });

    it('should not trust a certificate that no configured CA vouches for', async () => {
      const port = await startServer();

      const result = await mail(emailSettings(port, { tlsCaFile: undefined }));

      expect(result).toEqual({
        ok: false,
        retryable: true,
        status: null,
        error: 'TLS certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      });
      expect(delivered).toEqual([]);
    });

    it('should refuse a server without STARTTLS on smtp://, unless told it is insecure', async () => {
      const port = await startServer({
        disabledCommands: ['STARTTLS'],
        authOptional: true,
        onAuth: (_auth, _session, callback) => callback(smtpError(535, 'no auth here')),
      });
      const plain = { smtpUrl: `smtp://127.0.0.1:${port}`, tlsCaFile: undefined };

      const refused = await mail(emailSettings(port, plain));
      await sender?.close();
      const insecure = await mail(emailSettings(port, { ...plain, insecure: true }));

      expect(refused).toMatchObject({ ok: false, retryable: true, status: 500 });
      expect(errorOf(refused)).toBe('SMTP 500 STARTTLS refused');
      expect(insecure).toEqual({ ok: true, status: 250 });
      expect(delivered.map(({ secure }) => secure)).toEqual([false]);
    });

    it('should report a permanent rejection as not worth retrying', async () => {
      const port = await startServer({
        onRcptTo: (address, _session, callback) =>
          callback(smtpError(550, `5.1.1 ${address.address} unknown, see https://leak.example`)),
      });

      const result = await mail(emailSettings(port));

      expect(result).toEqual({
        ok: false,
        retryable: false,
        status: 550,
        error: 'SMTP 550 sender or recipients rejected',
      });
      expectNothingSecretIn(errorOf(result));
    });

    it('should report a temporary rejection as worth retrying', async () => {
      const port = await startServer({
        onData: (stream, _session, callback) => {
          stream.resume();
          stream.on('end', () =>
            callback(smtpError(451, '4.3.0 try later, see https://leak.example')),
          );
        },
      });

      const result = await mail(emailSettings(port));

      expect(result).toEqual({
        ok: false,
        retryable: true,
        status: 451,
        error: 'SMTP 451 message rejected',
      });
      expectNothingSecretIn(errorOf(result));
    });

    it('should report refused credentials as not worth retrying, without them', async () => {
      const port = await startServer();
      const email = emailSettings(port, {
        smtpUrl: `smtp://${SMTP_USER}:wrong-${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
      });

      const result = await mail(email);

      expect(result).toEqual({
        ok: false,
        retryable: false,
        status: 535,
        error: 'SMTP 535 authentication rejected',
      });
      expectNothingSecretIn(errorOf(result));
    });

    it('should report a refused connection as worth retrying', async () => {
      const closedPort = await freePort();

      const result = await mail(emailSettings(closedPort));

      expect(result).toEqual({
        ok: false,
        retryable: true,
        status: null,
        error: 'connection refused (ECONNREFUSED)',
      });
      expect(errorOf(result)).not.toContain(String(closedPort));
    });

    it('should give up on a server that does not greet in time, and retry later', async () => {
      const sockets: Socket[] = [];
      const silent = createTcpServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;

      const started = Date.now();
      const result = await mail(emailSettings(port), noticeOf(), 200);

      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(result).toEqual({
        ok: false,
        retryable: true,
        status: null,
        error: 'timed out after 200 ms',
      });
    });

    it('should not mail without email settings', async () => {
      const outgoing: Outgoing = {
        transport: 'smtp',
        message: {
          from: 'a@example.org',
          to: ['b@example.org'],
          subject: 's',
          text: 't',
          html: 'h',
        },
      };

      const result = await new NotificationSender(settingsWith()).send(outgoing);

      expect(result).toEqual({
        ok: false,
        retryable: false,
        status: null,
        error: 'email is not configured',
      });
    });
  });
});

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** A throwaway CA, and a certificate for 127.0.0.1 it signs, made with openssl. */
function makeCertificates() {
  const dir = mkdtempSync(path.join(tmpdir(), 'cwm-smtp-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  writeFileSync(
    file('openssl.cnf'),
    [
      '[req]',
      'distinguished_name = subject',
      'prompt = no',
      '[subject]',
      'CN = cml-worker-monitor test CA',
      '[ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '[server]',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      'extendedKeyUsage = serverAuth',
      '',
    ].join('\n'),
  );
  const config = ['-config', file('openssl.cnf')];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    ...config,
    '-x509',
    ...key,
    '-extensions',
    'ca',
    '-days',
    '2',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    ...config,
    ...key,
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('openssl.cnf'),
    '-extensions',
    'server',
    '-out',
    file('server.pem'),
  );
  return {
    dir,
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key')),
    cert: readFileSync(file('server.pem')),
  };
}

/** The headers and the text and HTML bodies of a MIME message, decoded as a mail client would. */
function parseMail(raw: string) {
  const { headers, body } = splitPart(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1] ?? '';
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => splitPart(part.replace(/^\r\n/, '').replace(/\r\n$/, '')))
    .map((part) => ({
      type: part.headers['content-type'] ?? '',
      content: decodeBody(part.body, part.headers['content-transfer-encoding']),
    }));
  const partOf = (type: string) => parts.find((part) => part.type.startsWith(type))?.content ?? '';
  return { headers, text: partOf('text/plain'), html: partOf('text/html') };
}

function splitPart(raw: string): { headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, end)
    .replace(/\r\n(?=[ \t])/g, '')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(end + 4) };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body, 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'utf8');
  return bytes.toString('utf8').replace(/\r\n/g, '\n');
}

function decodeQuotedPrintable(body: string): Buffer {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    if (joined[i] === '=') {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}
