import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { EMULATOR_CML_CREDENTIALS } from '../../src/config';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import { CmlServiceStatus } from '../../src/entities/cml.types';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import type { Worker } from '../../src/entities/worker.entity';
import { createLogger } from '../../src/logger';
import {
  CmlClient,
  type CmlCallName,
  type CmlCallOutcome,
} from '../../src/services/cml/cml-client';
import { cmlEndpoints } from '../../src/services/cml/cml-endpoints';
import { CmlMonitor, type CmlObservation } from '../../src/services/cml/cml-monitor';

const REGION = 'us-east-1';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DETAILS_REFRESH_MS = 10 * MINUTE;

interface Harness {
  emulator: RunningEmulator;
  monitor: CmlMonitor;
  client: CmlClient;
  clock: { now: number };
  calls: { call: CmlCallName; outcome: CmlCallOutcome }[];
  warnings: string[];
  /** Adds a running instance and answers a worker row for it, as the registry would hold it. */
  worker(name: string): Promise<Worker>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** One poll: observes the workers and keeps on each row what the collector would store. */
  poll(...workers: Worker[]): Promise<Map<string, CmlObservation>>;
  emulatorCalls(call: string): number;
}

async function harness(options: { timeoutMs?: number } = {}): Promise<Harness> {
  const clock = { now: Date.parse('2026-12-01T09:00:00Z') };
  const emulator = await startEmulator({ clock: () => clock.now, defaultRegion: REGION });
  const calls: Harness['calls'] = [];
  const warnings: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = JSON.parse(chunk.toString()) as { level: number; msg: string };
        if (line.level === 40) {
          warnings.push(line.msg);
        }
        done();
      },
    }),
  );
  const client = new CmlClient({
    tls: { caFile: undefined, insecure: false },
    onCall: (call, outcome) => calls.push({ call, outcome }),
    now: () => clock.now,
  });
  const monitor = new CmlMonitor(
    client,
    cmlEndpoints({ endpointFrom: 'emulator', endpointPort: undefined }, emulator.endpoint),
    {
      cml: {
        credentials: EMULATOR_CML_CREDENTIALS,
        credentialsKey: undefined,
        timeoutMs: options.timeoutMs ?? 2_000,
        concurrency: 8,
        detailsRefreshMs: DETAILS_REFRESH_MS,
      },
      now: () => clock.now,
    },
    logger,
  );
  const control = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${emulator.endpoint}/_emulator/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) {
      throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  return {
    emulator,
    monitor,
    client,
    clock,
    calls,
    warnings,
    control,
    async worker(name) {
      const { instances } = (await control('POST', 'instances', { name, region: REGION })) as {
        instances: { instanceId: string }[];
      };
      return workerRow(instances[0].instanceId);
    },
    async poll(...workers) {
      const observed = await monitor.observe(workers);
      for (const worker of workers) {
        const observation = observed.get(worker.id);
        if (observation) {
          worker.cmlStatus = observation.status;
          if (observation.details) {
            worker.cmlDetailsAt = new Date(clock.now);
            worker.cmlReady = observation.details.ready;
          }
        }
      }
      return observed;
    },
    emulatorCalls: (call) => emulator.fleet.callCount('cml', call),
  };
}

let nextId = 1;
function workerRow(instanceId: string, overrides: Partial<Worker> = {}): Worker {
  return {
    id: `00000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`,
    awsRegion: REGION,
    awsInstanceId: instanceId,
    status: WorkerStatus.RUNNING,
    cmlEndpointOverride: null,
    privateIpAddress: null,
    publicIpAddress: null,
    publicDnsName: null,
    cmlUsername: null,
    cmlPasswordEncrypted: null,
    cmlStatus: CmlServiceStatus.UNKNOWN,
    cmlReady: null,
    cmlDetailsAt: null,
    ...overrides,
  } as Worker;
}

/** One poll of a worker whose controller is at `endpoint`, its details fresh: the tiles alone. */
async function observeAt(
  endpoint: string,
  options: { tls: { caFile: string | undefined; insecure: boolean }; timeoutMs: number },
): Promise<CmlObservation | undefined> {
  const client = new CmlClient({ tls: options.tls });
  try {
    const monitor = new CmlMonitor(
      client,
      cmlEndpoints({ endpointFrom: 'private-ip', endpointPort: undefined }, undefined),
      {
        cml: {
          credentials: { username: 'u', password: 'p' },
          credentialsKey: undefined,
          timeoutMs: options.timeoutMs,
          concurrency: 1,
          detailsRefreshMs: DETAILS_REFRESH_MS,
        },
      },
      createLogger('silent'),
    );
    const worker = workerRow('i-0123456789abcdef0', {
      cmlEndpointOverride: endpoint,
      cmlStatus: CmlServiceStatus.AVAILABLE,
      cmlReady: true,
      cmlDetailsAt: new Date(),
    });
    return (await monitor.observe([worker])).get(worker.id);
  } finally {
    client.close();
  }
}

describe('CML monitoring against the emulated controllers', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    h.client.close();
    await h.emulator.close();
  });

  it('should read labs, nodes, version, readiness and license, then only the lab tiles until the details are due', async () => {
    const worker = await h.worker('cml-a');
    const route = `instances/${worker.awsInstanceId}/labs`;
    await h.control('POST', route, { title: 'ccna-1', nodes: 8, state: 'STARTED' });
    await h.control('POST', route, { title: 'ccnp-2', nodes: 4, state: 'STOPPED' });

    const first = (await h.poll(worker)).get(worker.id);

    expect(first).toMatchObject({
      status: CmlServiceStatus.AVAILABLE,
      error: null,
      labs: { labsTotal: 2, labsRunning: 1, nodesTotal: 12, nodesRunning: 8 },
      details: {
        ready: true,
        version: expect.stringMatching(/^2\./) as string,
        license: {
          registrationStatus: 'COMPLETED',
          authorizationStatus: 'IN_COMPLIANCE',
          valid: true,
        },
      },
    });
    expect(first?.labs?.list.map((lab) => [lab.title, lab.state, lab.nodeCount])).toEqual([
      ['ccna-1', 'STARTED', 8],
      ['ccnp-2', 'STOPPED', 4],
    ]);
    expect(h.calls.map((entry) => entry.call).sort()).toEqual([
      'authenticate',
      'licensing',
      'populate_lab_tiles',
      'system_information',
    ]);

    h.calls.length = 0;
    for (let poll = 0; poll < 5; poll += 1) {
      h.clock.now += MINUTE;
      expect((await h.poll(worker)).get(worker.id)?.details).toBeNull();
    }
    expect(h.calls.map((entry) => entry.call)).toEqual(Array(5).fill('populate_lab_tiles'));

    h.clock.now += DETAILS_REFRESH_MS;
    expect((await h.poll(worker)).get(worker.id)?.details).not.toBeNull();
  });

  it('should authenticate once per token lifetime, not once per poll', async () => {
    const worker = await h.worker('cml-token');
    await h.control('POST', `instances/${worker.awsInstanceId}/cml`, { tokenLifetimeSeconds: 300 });

    for (let poll = 0; poll < 8; poll += 1) {
      expect((await h.poll(worker)).get(worker.id)?.status).toBe(CmlServiceStatus.AVAILABLE);
      h.clock.now += 30 * SECOND;
    }
    expect(h.emulatorCalls('POST /authenticate')).toBe(1);

    // 240 s have passed: the token is renewed before it expires, so no call meets a 401.
    h.clock.now += 60 * SECOND;
    await h.poll(worker);
    expect(h.emulatorCalls('POST /authenticate')).toBe(2);
    expect(h.calls.filter((entry) => entry.outcome === 'unauthorized')).toEqual([]);
  });

  it('should authenticate again once when the controller answers 401 to a token it revoked', async () => {
    const worker = await h.worker('cml-revoked');
    await h.poll(worker);
    const route = `instances/${worker.awsInstanceId}/cml`;
    await h.control('POST', route, { credentials: 'rejected' });
    await h.control('DELETE', route);

    const observed = (await h.poll(worker)).get(worker.id);

    expect(observed?.status).toBe(CmlServiceStatus.AVAILABLE);
    expect(h.emulatorCalls('POST /authenticate')).toBe(2);
    expect(h.calls.filter((entry) => entry.outcome === 'unauthorized')).toHaveLength(1);
  });

  it('should say ERROR when the credentials are rejected, and log it once', async () => {
    const worker = await h.worker('cml-rejected');
    await h.control('POST', `instances/${worker.awsInstanceId}/cml`, { credentials: 'rejected' });

    const results = [];
    for (let poll = 0; poll < 4; poll += 1) {
      results.push((await h.poll(worker)).get(worker.id));
      h.clock.now += MINUTE;
    }

    expect(results.map((result) => result?.status)).toEqual(Array(4).fill(CmlServiceStatus.ERROR));
    expect(results[0]?.error).toBe('CML refused the credentials of user admin (HTTP 403)');
    expect(h.warnings).toHaveLength(1);

    await h.control('DELETE', `instances/${worker.awsInstanceId}/cml`);
    expect((await h.poll(worker)).get(worker.id)?.status).toBe(CmlServiceStatus.AVAILABLE);
    expect(h.warnings).toHaveLength(1);
  });

  it('should say UNAVAILABLE when the controller does not answer', async () => {
    const worker = await h.worker('cml-down');
    await h.control('POST', `instances/${worker.awsInstanceId}/cml`, { available: false });

    const observed = (await h.poll(worker)).get(worker.id);

    expect(observed).toMatchObject({
      status: CmlServiceStatus.UNAVAILABLE,
      error: expect.stringContaining('CML is unreachable') as string,
      labs: null,
    });
  });

  it('should say each license state as CML reports it', async () => {
    const worker = await h.worker('cml-license');
    const route = `instances/${worker.awsInstanceId}/cml`;
    const licenseAfter = async (settings: object) => {
      await h.control('DELETE', route);
      await h.control('POST', route, settings);
      worker.cmlDetailsAt = null;
      return (await h.poll(worker)).get(worker.id)?.details?.license;
    };

    expect(await licenseAfter({ license: 'valid' })).toMatchObject({ valid: true });
    expect(await licenseAfter({ license: 'unregistered' })).toMatchObject({
      valid: false,
      registrationStatus: 'UNREGISTERED',
    });
    expect(await licenseAfter({ license: 'out-of-compliance' })).toMatchObject({
      valid: false,
      registrationStatus: 'COMPLETED',
      authorizationStatus: 'OUT_OF_COMPLIANCE',
    });
    const expiring = await licenseAfter({ licenseExpiresInDays: 5 });
    expect(expiring?.valid).toBe(true);
    expect(Date.parse(expiring?.expiresAt ?? '') - h.clock.now).toBe(5 * 24 * 60 * MINUTE);
  });

  it('should follow labs starting and stopping between polls', async () => {
    const worker = await h.worker('cml-labs');
    const route = `instances/${worker.awsInstanceId}/labs`;
    const counts = async () => {
      const labs = (await h.poll(worker)).get(worker.id)?.labs;
      return [labs?.labsTotal, labs?.labsRunning, labs?.nodesRunning];
    };

    expect(await counts()).toEqual([0, 0, 0]);
    const lab = (await h.control('POST', route, { title: 'lab', nodes: 6 })) as { id: string };
    expect(await counts()).toEqual([1, 0, 0]);
    await h.control('POST', `${route}/${lab.id}/state`, { state: 'STARTED' });
    expect(await counts()).toEqual([1, 1, 6]);
    await h.control('POST', `${route}/${lab.id}/state`, { state: 'STOPPED' });
    expect(await counts()).toEqual([1, 0, 0]);
    await h.control('DELETE', `${route}/${lab.id}`);
    expect(await counts()).toEqual([0, 0, 0]);
  });
});

describe('a worker the service has nothing to ask with', () => {
  it('should be UNKNOWN, saying why, without a call: no credentials are no controller failing', async () => {
    const calls: string[] = [];
    const client = new CmlClient({
      tls: { caFile: undefined, insecure: false },
      onCall: (call) => calls.push(call),
    });
    const monitor = new CmlMonitor(
      client,
      cmlEndpoints({ endpointFrom: 'private-ip', endpointPort: undefined }, undefined),
      {
        cml: {
          credentials: undefined,
          credentialsKey: undefined,
          timeoutMs: 1_000,
          concurrency: 1,
          detailsRefreshMs: DETAILS_REFRESH_MS,
        },
      },
      createLogger('silent'),
    );
    const withAddress = workerRow('i-0123456789abcdef0', { privateIpAddress: '10.0.0.5' });
    const withoutAddress = workerRow('i-0123456789abcdef1');
    const withUnreadableOwn = workerRow('i-0123456789abcdef2', {
      privateIpAddress: '10.0.0.6',
      cmlUsername: 'own',
      cmlPasswordEncrypted: 'v1:AAAA',
    });
    try {
      const observed = await monitor.observe([withAddress, withoutAddress, withUnreadableOwn]);

      expect(observed.get(withAddress.id)).toMatchObject({
        status: CmlServiceStatus.UNKNOWN,
        error: expect.stringContaining('no CML credentials') as string,
      });
      expect(observed.get(withoutAddress.id)).toMatchObject({
        status: CmlServiceStatus.UNKNOWN,
        error: expect.stringContaining('no address') as string,
      });
      expect(observed.get(withUnreadableOwn.id)).toMatchObject({
        status: CmlServiceStatus.ERROR,
        error: expect.stringContaining('CML_CREDENTIALS_KEY is not set') as string,
      });
      expect(calls).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('a slow CML controller', () => {
  it('should time out by CML_TIMEOUT_MS while the other controllers of the batch answer on time', async () => {
    const h = await harness({ timeoutMs: 500 });
    try {
      const slow = await h.worker('cml-slow');
      const fast = await Promise.all([1, 2, 3].map((n) => h.worker(`cml-fast-${n}`)));
      await h.control('POST', `instances/${slow.awsInstanceId}/cml`, { latencyMs: 5_000 });

      const startedAt = performance.now();
      const observed = await h.poll(slow, ...fast);
      const elapsedMs = performance.now() - startedAt;

      expect(observed.get(slow.id)).toMatchObject({
        status: CmlServiceStatus.UNAVAILABLE,
        error: 'CML did not answer within CML_TIMEOUT_MS',
      });
      expect(fast.map((worker) => observed.get(worker.id)?.status)).toEqual(
        Array(3).fill(CmlServiceStatus.AVAILABLE),
      );
      expect(elapsedMs).toBeLessThan(2_000);
    } finally {
      h.client.close();
      await h.emulator.close();
    }
  });
});

describe('a controller that answers badly', () => {
  let server: HttpServer;
  let endpoint: string;
  let answer: (response: ServerResponse) => void;

  beforeAll(async () => {
    server = createHttpServer((request, response) => {
      if (request.url === '/api/v0/authenticate') {
        response.end('"token"');
      } else {
        answer(response);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const observe = () =>
    observeAt(endpoint, { tls: { caFile: undefined, insecure: false }, timeoutMs: 300 });

  it('should say ERROR for lab tiles of another shape, not store them', async () => {
    answer = (response) => response.end('{"lab_tiles":"everything"}');

    expect(await observe()).toMatchObject({
      status: CmlServiceStatus.ERROR,
      error: 'CML answered the lab tiles with something else',
      labs: null,
    });
  });

  it('should count figures CML could not mean as nothing and cut texts to what a row keeps', async () => {
    answer = (response) =>
      response.end(
        JSON.stringify({
          lab_tiles: {
            a: { lab_title: 'x'.repeat(100_000), state: 'STARTED', node_count: 'eight' },
            b: { lab_title: 'b', state: 'STOPPED', node_count: -4, topology: { nodes: 'none' } },
            c: 42,
          },
        }),
      );

    const observed = await observe();

    expect(observed?.status).toBe(CmlServiceStatus.AVAILABLE);
    expect(observed?.labs).toMatchObject({ labsTotal: 2, labsRunning: 1, nodesTotal: 0 });
    expect(observed?.labs?.list.map((lab) => lab.title.length)).toEqual([256, 1]);
  });

  it('should say UNAVAILABLE when the connection drops halfway through an answer', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"lab_tiles":{', () => response.socket?.destroy());
    };

    expect(await observe()).toMatchObject({
      status: CmlServiceStatus.UNAVAILABLE,
      error: expect.stringContaining('CML is unreachable') as string,
    });
  });

  it('should say UNAVAILABLE when an answer stops halfway until the deadline', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"lab_tiles":{');
    };

    expect(await observe()).toMatchObject({
      status: CmlServiceStatus.UNAVAILABLE,
      error: 'CML did not answer within CML_TIMEOUT_MS',
    });
  });
});

describe('CML over TLS', () => {
  let directory: string;
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'cwm-cml-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(directory, 'key.pem'),
        '-out',
        path.join(directory, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      {
        key: readFileSync(path.join(directory, 'key.pem')),
        cert: readFileSync(path.join(directory, 'cert.pem')),
      },
      (request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(request.url === '/api/v0/authenticate' ? '"token"' : '{"lab_tiles":{}}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  const statusWith = (tls: { caFile: string | undefined; insecure: boolean }) =>
    observeAt(endpoint, { tls, timeoutMs: 2_000 });

  it('should refuse a certificate it cannot verify', async () => {
    expect(await statusWith({ caFile: undefined, insecure: false })).toMatchObject({
      status: CmlServiceStatus.UNAVAILABLE,
      error: expect.stringMatching(/self[- ]signed/i) as string,
    });
  });

  it('should trust the CA file it is given, and accept any certificate only when told to', async () => {
    expect(
      (await statusWith({ caFile: path.join(directory, 'cert.pem'), insecure: false }))?.status,
    ).toBe(CmlServiceStatus.AVAILABLE);
    expect((await statusWith({ caFile: undefined, insecure: true }))?.status).toBe(
      CmlServiceStatus.AVAILABLE,
    );
  });
});
