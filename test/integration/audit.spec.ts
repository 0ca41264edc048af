import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print } from 'graphql';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { AuditOutcome } from '../../src/entities/audit-outcome.enum';
import { conflict } from '../../src/errors/domain-error';
import { createLogger } from '../../src/logger';
import { AuditEventRepository } from '../../src/repositories/audit-event.repository';
import type { AuditEntry } from '../../src/services/audit/audit-scope';
import { AuditService, type AuditedCall } from '../../src/services/audit/audit.service';
import {
  AcknowledgeAlertDocument,
  AlertsDocument,
  AuditEventsDocument,
  type AuditEventsQuery,
  type AuditEventsQueryVariables,
  CreateSilenceDocument,
  ImportWorkerDocument,
  ImportWorkerIdsDocument,
  RefreshWorkerDocument,
  StopWorkerDocument,
  UpdateWorkerDocument,
} from '../generated/graphql';
import { emulatorControl } from '../support/emulator-control';
import { instanceId } from '../support/factories';
import { request, requestData, wsClient } from '../support/graphql-client';
import { testLogger } from '../support/silent-logger';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { dropTestDataSource, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';

const SECRET = 'hunter2-S3CRET-audit';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const DAY = 86_400_000;

describe(AuditService.name, () => {
  let dataSource: DataSource;
  let repository: AuditEventRepository;
  let audit: AuditService;
  let statements = 0;
  const errors: string[] = [];

  const call = (overrides: Partial<AuditedCall<unknown>> = {}): AuditedCall<unknown> => ({
    actor: 'ci-operator',
    operation: 'stopWorker',
    subject: { workerId: UNKNOWN_ID, alertId: null, summary: `id: "${UNKNOWN_ID}"` },
    succeeded: () => [],
    failed: (): AuditEntry => ({
      workerId: UNKNOWN_ID,
      alertId: null,
      summary: `id: "${UNKNOWN_ID}"`,
      outcome: AuditOutcome.FAILED,
      errorCode: 'CONFLICT',
    }),
    ...overrides,
  });
  const records = () =>
    dataSource.query<{ id: string; outcome: string; errorCode: string | null }[]>(
      'SELECT id, outcome, "errorCode" FROM audit_event ORDER BY at',
    );
  const probes = async () =>
    (await dataSource.query<{ id: string }[]>('SELECT id FROM audit_probe')).map((row) => row.id);
  /** A change of the mutation's own, in a transaction of its own. */
  const writeProbe = (id: string) =>
    dataSource.transaction((tx) => tx.query('INSERT INTO audit_probe (id) VALUES ($1)', [id]));

  beforeAll(async () => {
    dataSource = createDataSource({
      url: testDatabaseUrl(),
      schema: uniqueSchemaName(),
      poolSize: 4,
      logger: testLogger(),
      onStatement: () => {
        statements += 1;
      },
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    await dataSource.query('CREATE TABLE audit_probe (id text NOT NULL)');
    repository = new AuditEventRepository(dataSource);
    const logger = createLogger(
      'error',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          errors.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
          done();
        },
      }),
    );
    audit = new AuditService(repository, 90, logger, () => new Date(), 2);
    dataSource.subscribers.push(audit.transactionSubscriber());
  });

  afterAll(async () => {
    await dropTestDataSource(dataSource);
  });

  afterEach(async () => {
    await dataSource.query('DELETE FROM audit_event');
    await dataSource.query('DELETE FROM audit_probe');
    errors.length = 0;
  });

  it('should write the record in the transaction the mutation commits, and nothing after it', async () => {
    let seenAtCommit: unknown[] = [];
    const before = statements;

    await audit.record(call(), async () => {
      await writeProbe('p1');
      seenAtCommit = await records();
    });

    // START TRANSACTION, the change, the record, COMMIT, the look from the test: nothing more.
    expect(statements - before).toBe(5);
    expect(seenAtCommit).toEqual([expect.objectContaining({ outcome: 'SUCCEEDED' })]);
    expect(await records()).toEqual(seenAtCommit);
    expect(await probes()).toEqual(['p1']);
  });

  it('should leave no SUCCEEDED record when the transaction rolls back, and record the failure', async () => {
    const work = audit.record(call(), () =>
      dataSource.transaction(async (tx) => {
        await tx.query('INSERT INTO audit_probe (id) VALUES ($1)', ['p2']);
        throw conflict('the worker changed meanwhile');
      }),
    );

    await expect(work).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await probes()).toEqual([]);
    expect(await records()).toEqual([
      expect.objectContaining({ outcome: 'FAILED', errorCode: 'CONFLICT' }),
    ]);
  });

  it('should turn the committed record into FAILED when the mutation fails after its commit', async () => {
    let committedId: string | undefined;

    const work = audit.record(call(), async () => {
      await writeProbe('p3');
      committedId = (await records())[0]?.id;
      throw conflict('EC2 refused');
    });

    await expect(work).rejects.toThrow('EC2 refused');
    expect(await probes()).toEqual(['p3']);
    expect(await records()).toEqual([
      { id: committedId, outcome: 'FAILED', errorCode: 'CONFLICT' },
    ]);
  });

  it('should record a mutation that opens no transaction once it is over', async () => {
    const before = statements;

    await audit.record(call(), () => Promise.resolve());

    expect(statements - before).toBe(1);
    expect(await records()).toEqual([expect.objectContaining({ outcome: 'SUCCEEDED' })]);
  });

  it('should roll back the change when its record cannot be written in its transaction', async () => {
    // Postgres refuses a NUL in text: a real failure of the record's INSERT.
    const unwritable = call({
      subject: { workerId: null, alertId: null, summary: 'nul \u0000 here' },
      failed: () => ({
        workerId: null,
        alertId: null,
        summary: 'nul \u0000 here',
        outcome: AuditOutcome.FAILED,
        errorCode: 'INTERNAL_SERVER_ERROR',
      }),
    });

    await expect(audit.record(unwritable, () => writeProbe('p4'))).rejects.toThrow();

    expect(await probes()).toEqual([]);
    expect(await records()).toEqual([]);
    expect(errors).toEqual(['could not record a mutation in the audit log']);
  });

  it('should answer a mutation as it ended even when its record fails afterwards, and log it', async () => {
    const unwritable = call({
      succeeded: () => [
        {
          workerId: null,
          alertId: null,
          summary: 'nul \u0000 here',
          outcome: AuditOutcome.SUCCEEDED,
          errorCode: null,
        },
      ],
    });

    await expect(audit.record(unwritable, () => Promise.resolve('done'))).resolves.toBe('done');

    expect(errors).toEqual(['could not record a mutation in the audit log']);
  });

  it('should not let a transaction the mutation left running rewrite its outcome', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let leftRunning: Promise<unknown> = Promise.resolve();

    const work = audit.record(call(), () => {
      leftRunning = dataSource.transaction(async (tx) => {
        await held;
        await tx.query('INSERT INTO audit_probe (id) VALUES ($1)', ['p5']);
      });
      return Promise.reject(conflict('refused'));
    });
    await expect(work).rejects.toThrow('refused');
    release();
    await leftRunning;

    expect(await probes()).toEqual(['p5']);
    expect(await records()).toEqual([
      expect.objectContaining({ outcome: 'FAILED', errorCode: 'CONFLICT' }),
    ]);
  });

  it('should prune the records past the retention in bounded batches, and keep the others', async () => {
    const now = Date.now();
    const record = (ageDays: number) => ({
      id: `00000000-0000-4000-8000-${randomBytes(6).toString('hex')}`,
      at: new Date(now - ageDays * DAY),
      actor: 'ci-operator',
      operation: 'stopWorker',
      workerId: null,
      alertId: null,
      outcome: AuditOutcome.SUCCEEDED,
      errorCode: null,
      summary: '',
    });
    const kept = [record(1), record(89)];
    await repository.write([record(91), record(120), record(400), record(91), record(95), ...kept]);
    const before = statements;

    const deleted = await audit.prune();

    expect(deleted).toBe(5);
    // Batches of 2: 2, 2, then 1, which says no more are left.
    expect(statements - before).toBe(3);
    expect((await records()).map((row) => row.id).sort()).toEqual(kept.map((r) => r.id).sort());
  });
});

describe('the audit log over the API', () => {
  const VIEWER_KEY = 'viewer-key-audit-0123456789abcdef0123456789ab';
  const OPERATOR_KEY = 'operator-key-audit-0123456789abcdef0123456789';
  const ONCALL_KEY = 'oncall-key-audit-0123456789abcdef0123456789ab';
  const VIEWER = `Bearer ${VIEWER_KEY}`;
  const OPERATOR = `Bearer ${OPERATOR_KEY}`;
  const ONCALL = `Bearer ${ONCALL_KEY}`;
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const codeOf = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    response.errors?.[0]?.extensions?.code;

  let app: TestApp;

  const eventsPage = (variables: AuditEventsQueryVariables, authorization = OPERATOR) =>
    requestData(app.graphqlUrl, AuditEventsDocument, variables, authorization);
  const events = async (filter: AuditEventsQueryVariables['filter']) =>
    (await eventsPage({ filter, first: 500 })).auditEvents.edges.map((edge) => edge.node);
  const newInstance = () => {
    const emulator = app.emulator;
    if (!emulator) {
      throw new Error('the test app runs on the emulator');
    }
    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'running' });
    return instance.instanceId;
  };
  const importWorker = async (authorization = OPERATOR) =>
    (
      await requestData(
        app.graphqlUrl,
        ImportWorkerDocument,
        { input: { awsInstanceId: newInstance() } },
        authorization,
      )
    ).importWorker;
  /** Just before a test's mutations, as the service's clock has it. */
  const mark = () => new Date(Date.now() - 1).toISOString();

  beforeAll(async () => {
    app = await startTestApp({
      API_KEYS: [
        `ci-viewer:viewer:${sha256(VIEWER_KEY)}`,
        `ci-operator:operator:${sha256(OPERATOR_KEY)}`,
        `ci-oncall:operator:${sha256(ONCALL_KEY)}`,
      ].join(','),
      WORKER_MONITORING_ENABLED: 'false',
      CML_CREDENTIALS_KEY: randomBytes(32).toString('hex'),
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it("should record an operator's stopWorker with the caller, the worker and its success", async () => {
    const worker = await importWorker();

    await requestData(app.graphqlUrl, StopWorkerDocument, { id: worker.id }, OPERATOR);

    const recorded = await events({ workerId: worker.id });
    expect(recorded).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: 'ci-operator',
        operation: 'stopWorker',
        workerId: worker.id,
        alertId: null,
        outcome: 'SUCCEEDED',
        errorCode: null,
        summary: `id: "${worker.id}"`,
      },
      expect.objectContaining({
        actor: 'ci-operator',
        operation: 'importWorker',
        workerId: worker.id,
        outcome: 'SUCCEEDED',
      }),
    ]);
  });

  it("should record a mutation sent over the WebSocket with the socket's caller", async () => {
    const worker = await importWorker();
    const client = wsClient(app.graphqlUrl, { authorization: ONCALL });

    const results = client.iterate({
      query: print(StopWorkerDocument),
      variables: { id: worker.id },
    });
    const { value } = await results.next();
    await results.return?.();
    await client.dispose();

    expect((value as { errors?: unknown }).errors).toBeUndefined();
    expect(await events({ workerId: worker.id, operations: ['stopWorker'] })).toEqual([
      expect.objectContaining({ actor: 'ci-oncall', workerId: worker.id, outcome: 'SUCCEEDED' }),
    ]);
  });

  it('should record refused mutations as FAILED, with the code their caller was answered', async () => {
    const since = mark();
    const worker = await importWorker();
    const registered = worker.awsInstanceId;

    const answers = {
      notFound: await request(app.graphqlUrl, StopWorkerDocument, { id: UNKNOWN_ID }, ONCALL),
      malformedId: await request(app.graphqlUrl, StopWorkerDocument, { id: 'nope' }, ONCALL),
      conflict: await request(
        app.graphqlUrl,
        ImportWorkerDocument,
        { input: { awsInstanceId: registered } },
        ONCALL,
      ),
      badInput: await request(
        app.graphqlUrl,
        UpdateWorkerDocument,
        { id: worker.id, input: { name: '   ' } },
        ONCALL,
      ),
      forbidden: await request(app.graphqlUrl, StopWorkerDocument, { id: worker.id }, VIEWER),
      anonymous: await request(app.graphqlUrl, StopWorkerDocument, { id: worker.id }),
    };

    expect(
      Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, codeOf(a)])),
    ).toEqual({
      notFound: 'NOT_FOUND',
      malformedId: 'NOT_FOUND',
      conflict: 'CONFLICT',
      badInput: 'BAD_USER_INPUT',
      forbidden: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    });
    // Nobody to name: the caller without credentials is answered, not recorded.
    const failed = await events({ outcome: 'FAILED', since });
    expect(
      failed.map(({ actor, operation, workerId, errorCode }) => ({
        actor,
        operation,
        workerId,
        errorCode,
      })),
    ).toEqual([
      { actor: 'ci-viewer', operation: 'stopWorker', workerId: worker.id, errorCode: 'FORBIDDEN' },
      {
        actor: 'ci-oncall',
        operation: 'updateWorker',
        workerId: worker.id,
        errorCode: 'BAD_USER_INPUT',
      },
      { actor: 'ci-oncall', operation: 'importWorker', workerId: null, errorCode: 'CONFLICT' },
      { actor: 'ci-oncall', operation: 'stopWorker', workerId: null, errorCode: 'NOT_FOUND' },
      { actor: 'ci-oncall', operation: 'stopWorker', workerId: UNKNOWN_ID, errorCode: 'NOT_FOUND' },
    ]);
    expect(failed[2].summary).toBe(`input: {awsInstanceId: "${registered}"}`);
  });

  it('should leave every secret out of the summaries', async () => {
    const since = mark();
    const worker = await importWorker();
    const endpoint = `https://admin:${SECRET}@cml.example.com:8443/api/${SECRET}?token=${SECRET}`;

    await requestData(
      app.graphqlUrl,
      UpdateWorkerDocument,
      {
        id: worker.id,
        input: { cmlEndpoint: endpoint, cmlCredentials: { username: 'admin', password: SECRET } },
      },
      OPERATOR,
    );
    await requestData(
      app.graphqlUrl,
      ImportWorkerIdsDocument,
      {
        inputs: [
          { awsInstanceId: newInstance(), cmlCredentials: { username: 'a', password: SECRET } },
        ],
      },
      OPERATOR,
    );
    await requestData(
      app.graphqlUrl,
      CreateSilenceDocument,
      {
        input: {
          matchers: { workerIds: [worker.id] },
          endsAt: new Date(Date.now() + DAY).toISOString(),
          comment: `moved to https://hooks.slack.com/services/T0/B0/${SECRET}, password=${SECRET}`,
        },
      },
      OPERATOR,
    );

    const recorded = await events({ since });
    expect(recorded.map((event) => event.operation)).toEqual([
      'createSilence',
      'importWorkers',
      'updateWorker',
      'importWorker',
    ]);
    expect(JSON.stringify(recorded)).not.toContain(SECRET);
    expect(recorded[2].summary).toBe(
      `input: {cmlEndpoint: "https://cml.example.com:8443", cmlCredentials: [secret]}, id: "${worker.id}"`,
    );
    expect(recorded[1].summary).toMatch(
      /^inputs\[0\]: \{awsInstanceId: "i-\w+", cmlCredentials: \[secret\]\}$/,
    );
    expect(recorded[0].summary).toContain(
      'comment: "moved to https://hooks.slack.com, password=[secret]"',
    );
  });

  it('should record a batch import one instance a record, each with its own outcome', async () => {
    const since = mark();
    const [first, second] = [newInstance(), newInstance()];
    const unknown = instanceId();

    const { importWorkers } = await requestData(
      app.graphqlUrl,
      ImportWorkerIdsDocument,
      { inputs: [first, unknown, second, first].map((awsInstanceId) => ({ awsInstanceId })) },
      OPERATOR,
    );

    const byInstance = new Map(importWorkers.imported.map((w) => [w.awsInstanceId, w.id]));
    const recorded = await events({ since, operations: ['importWorkers'] });
    expect(recorded).toHaveLength(4);
    expect(
      recorded
        .map(({ workerId, outcome, errorCode, summary }) => ({
          workerId,
          outcome,
          errorCode,
          summary,
        }))
        .sort((a, b) => a.summary.localeCompare(b.summary)),
    ).toEqual([
      {
        workerId: byInstance.get(first),
        outcome: 'SUCCEEDED',
        errorCode: null,
        summary: `inputs[0]: {awsInstanceId: "${first}"}`,
      },
      {
        workerId: null,
        outcome: 'FAILED',
        errorCode: 'NOT_FOUND',
        summary: `inputs[1]: {awsInstanceId: "${unknown}"}`,
      },
      {
        workerId: byInstance.get(second),
        outcome: 'SUCCEEDED',
        errorCode: null,
        summary: `inputs[2]: {awsInstanceId: "${second}"}`,
      },
      {
        workerId: null,
        outcome: 'FAILED',
        errorCode: 'CONFLICT',
        summary: `inputs[3]: {awsInstanceId: "${first}"}`,
      },
    ]);
  });

  it('should record an acknowledged alert with the alert and its worker', async () => {
    const worker = await importWorker();
    const emulator = app.emulator;
    if (!emulator) {
      throw new Error('the test app runs on the emulator');
    }
    await emulatorControl(emulator.endpoint, 'POST', `instances/${worker.awsInstanceId}/metrics`, {
      cpu: 97,
      memory: 30,
    });
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id }, OPERATOR);
    const { alerts } = await requestData(
      app.graphqlUrl,
      AlertsDocument,
      { filter: { workerId: worker.id } },
      OPERATOR,
    );
    const alertId = alerts.edges[0]?.node.id;

    await requestData(app.graphqlUrl, AcknowledgeAlertDocument, { id: alertId }, OPERATOR);

    expect(
      await events({ workerId: worker.id, operations: ['acknowledgeAlert', 'refreshWorker'] }),
    ).toEqual([
      expect.objectContaining({ operation: 'acknowledgeAlert', alertId, workerId: worker.id }),
      expect.objectContaining({ operation: 'refreshWorker', alertId: null, outcome: 'SUCCEEDED' }),
    ]);
  });

  it('should let operators read the audit log, and no one else', async () => {
    const asViewer = await request(app.graphqlUrl, AuditEventsDocument, {}, VIEWER);
    const asNobody = await request(app.graphqlUrl, AuditEventsDocument, {});

    expect(codeOf(asViewer)).toBe('FORBIDDEN');
    expect(codeOf(asNobody)).toBe('UNAUTHENTICATED');
    expect(asViewer.data).toBeNull();
  });

  it('should filter by actor, worker, operations, outcome and time, each alone and together', async () => {
    const since = mark();
    const worker = await importWorker(ONCALL);
    await requestData(app.graphqlUrl, StopWorkerDocument, { id: worker.id }, OPERATOR);
    await request(app.graphqlUrl, StopWorkerDocument, { id: UNKNOWN_ID }, ONCALL);
    await request(app.graphqlUrl, StopWorkerDocument, { id: worker.id }, VIEWER);
    const operationsOf = async (filter: AuditEventsQueryVariables['filter']) =>
      (await events({ since, ...filter })).map((event) => `${event.actor} ${event.operation}`);

    expect(await operationsOf({})).toEqual([
      'ci-viewer stopWorker',
      'ci-oncall stopWorker',
      'ci-operator stopWorker',
      'ci-oncall importWorker',
    ]);
    expect(await operationsOf({ actor: 'ci-oncall' })).toEqual([
      'ci-oncall stopWorker',
      'ci-oncall importWorker',
    ]);
    expect(await operationsOf({ workerId: worker.id })).toEqual([
      'ci-viewer stopWorker',
      'ci-operator stopWorker',
      'ci-oncall importWorker',
    ]);
    expect(await operationsOf({ operations: ['importWorker', 'refreshWorker'] })).toEqual([
      'ci-oncall importWorker',
    ]);
    expect(await operationsOf({ outcome: 'FAILED' })).toEqual([
      'ci-viewer stopWorker',
      'ci-oncall stopWorker',
    ]);
    expect(
      await operationsOf({ actor: 'ci-oncall', outcome: 'SUCCEEDED', workerId: worker.id }),
    ).toEqual(['ci-oncall importWorker']);
    expect(await operationsOf({ operations: [] })).toEqual([]);
    expect(await operationsOf({ workerId: 'not-a-uuid' })).toEqual([]);
    expect(await events({ since: new Date(Date.now() + DAY).toISOString() })).toEqual([]);
  });

  it('should page newest first with cursors, and count every record the filter matches', async () => {
    const since = mark();
    for (let n = 0; n < 5; n += 1) {
      await request(app.graphqlUrl, StopWorkerDocument, { id: UNKNOWN_ID }, ONCALL);
    }
    const filter = { since, actor: 'ci-oncall' };
    const pages: AuditEventsQuery['auditEvents'][] = [];
    let after: string | null | undefined;
    do {
      const { auditEvents } = await eventsPage({ filter, first: 2, after });
      pages.push(auditEvents);
      after = auditEvents.pageInfo.hasNextPage ? auditEvents.pageInfo.endCursor : undefined;
    } while (after);

    const all = await events(filter);
    expect(pages.map((page) => page.edges.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.totalCount)).toEqual([5, 5, 5]);
    expect(pages.flatMap((page) => page.edges.map((edge) => edge.node.id))).toEqual(
      all.map((event) => event.id),
    );
    const times = all.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('should answer a page of a few fields with the values and cursors of the whole records', async () => {
    const since = mark();
    for (let n = 0; n < 3; n += 1) {
      await request(app.graphqlUrl, StopWorkerDocument, { id: UNKNOWN_ID }, ONCALL);
    }
    const filter = { since, actor: 'ci-oncall' };
    const narrow: TypedDocumentNode<{
      auditEvents: { edges: { cursor: string; node: { operation: string; errorCode: string } }[] };
    }> = parse(`query ($filter: AuditEventFilter) {
      auditEvents(filter: $filter, first: 3) { edges { cursor node { operation errorCode } } }
    }`);

    const few = await requestData(app.graphqlUrl, narrow, { filter }, OPERATOR);
    const whole = await eventsPage({ filter, first: 3 });

    expect(few.auditEvents.edges).toEqual(
      whole.auditEvents.edges.map(({ cursor, node }) => ({
        cursor,
        node: { operation: node.operation, errorCode: node.errorCode },
      })),
    );
    expect(few.auditEvents.edges.map((edge) => edge.node)).toEqual(
      Array.from({ length: 3 }, () => ({ operation: 'stopWorker', errorCode: 'NOT_FOUND' })),
    );
  });

  it('should refuse a page size out of 1-500 and a cursor it did not give', async () => {
    const ask = (variables: AuditEventsQueryVariables) =>
      request(app.graphqlUrl, AuditEventsDocument, variables, OPERATOR);

    const answers = await Promise.all([
      ask({ first: 0 }),
      ask({ first: 501 }),
      ask({ after: 'not-a-cursor' }),
      ask({ first: 500 }),
    ]);

    expect(answers.map(codeOf)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      undefined,
    ]);
  });
});
