import { createHash } from 'node:crypto';
import { Client } from 'pg';
import {
  AlertsDocument,
  AuditEventsDocument,
  CreateSilenceDocument,
  ImportWorkerDocument,
  NodeDocument,
  TwoNodesDocument,
  WorkersDocument,
} from '../generated/graphql';
import { request, requestData } from '../support/graphql-client';
import { testDatabaseUrl } from '../support/test-database';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

const VIEWER_KEY = 'viewer-key-0123456789abcdef0123456789abcdef';
const OPERATOR_KEY = 'operator-key-0123456789abcdef0123456789abcdef';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const asViewer = `Bearer ${VIEWER_KEY}`;
const asOperator = `Bearer ${OPERATOR_KEY}`;
const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions?.code;

describe('Relay object identification and pagination', () => {
  let app: TestApp;
  let url: string;

  const importWorker = async (name: string) => {
    const emulator = app.emulator;
    if (!emulator) {
      throw new Error('the test app runs on the emulator');
    }
    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'running', name });
    const { importWorker: worker } = await requestData(
      url,
      ImportWorkerDocument,
      { input: { awsInstanceId: instance.instanceId } },
      asOperator,
    );
    return worker;
  };

  /** Alerts as the poller would have stored them, the first one oldest. */
  const insertAlerts = async (workerId: string, kinds: string[]): Promise<string[]> => {
    const db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO "${app.schema}".alert ("workerId", kind, state, severity, message, "startedAt")
         SELECT $1, kind::"${app.schema}".alert_kind, 'RESOLVED', 'WARNING', 'test alert',
           now() - (ordinality || ' minutes')::interval
         FROM unnest($2::text[]) WITH ORDINALITY AS k(kind, ordinality)
         RETURNING id`,
        [workerId, kinds],
      );
      return rows.map((row) => row.id);
    } finally {
      await db.end();
    }
  };

  /** An hour's silence of one worker. */
  const silenceFor = (workerId: string, comment: string) =>
    requestData(
      url,
      CreateSilenceDocument,
      {
        input: {
          matchers: { workerIds: [workerId] },
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          comment,
        },
      },
      asOperator,
    );

  const node = (id: string, authorization = asOperator) =>
    request(url, NodeDocument, { id }, authorization);

  beforeAll(async () => {
    app = await startTestApp({
      WORKER_MONITORING_ENABLED: 'false',
      API_KEYS: `ci-viewer:viewer:${sha256(VIEWER_KEY)},ci-operator:operator:${sha256(OPERATOR_KEY)}`,
    });
    url = app.graphqlUrl;
  });

  afterAll(async () => {
    await app.close();
  });

  describe('node(id)', () => {
    it('should fetch a worker, an alert, a silence and an audit event by id alone', async () => {
      const worker = await importWorker('relay-node');
      const [alertId] = await insertAlerts(worker.id, ['CPU_HIGH']);
      const { createSilence: silence } = await silenceFor(worker.id, 'relay node');
      const { auditEvents } = await requestData(
        url,
        AuditEventsDocument,
        { filter: { operations: ['createSilence'] }, first: 1 },
        asOperator,
      );
      const auditId = auditEvents.edges[0].node.id;

      const answers = await Promise.all(
        [worker.id, alertId, silence.id, auditId].map((id) => node(id)),
      );

      expect(answers.map((answer) => answer.errors)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(answers.map((answer) => answer.data?.node)).toEqual([
        { __typename: 'Worker', id: worker.id, name: 'relay-node' },
        { __typename: 'Alert', id: alertId, workerId: worker.id, kind: 'CPU_HIGH' },
        { __typename: 'Silence', id: silence.id, comment: 'relay node' },
        { __typename: 'AuditEvent', id: auditId, operation: 'createSilence' },
      ]);
    });

    it('should answer null, and no error, for an unknown or malformed id, as worker(id) does', async () => {
      const unknown = await node(UNKNOWN_ID);
      const malformed = await node('not-a-uuid');

      expect([unknown, malformed]).toEqual([
        { status: 200, data: { node: null } },
        { status: 200, data: { node: null } },
      ]);
    });

    it('should load the node fields of an operation with one statement per table', async () => {
      const worker = await importWorker('relay-batch');
      const [alertId] = await insertAlerts(worker.id, ['MEMORY_HIGH']);
      const before = app.sqlStatementCount();

      const { data } = await request(
        url,
        TwoNodesDocument,
        { first: worker.id, second: alertId },
        asOperator,
      );

      expect(data).toEqual({ first: { id: worker.id }, second: { id: alertId } });
      expect(app.sqlStatementCount() - before).toBe(4);
    });

    it("should ask each type's own role: a viewer reads workers, alerts and silences, not audit events", async () => {
      const worker = await importWorker('relay-viewer');
      const [alertId] = await insertAlerts(worker.id, ['IDLE']);
      const { auditEvents } = await requestData(url, AuditEventsDocument, { first: 1 }, asOperator);
      const { createSilence: silence } = await silenceFor(worker.id, 'relay viewer');

      const viewerWorker = await node(worker.id, asViewer);
      const viewerAlert = await node(alertId, asViewer);
      const viewerSilence = await node(silence.id, asViewer);
      const viewerAudit = await node(auditEvents.edges[0].node.id, asViewer);
      const viewerUnknown = await node(UNKNOWN_ID, asViewer);
      const anonymous = await request(url, NodeDocument, { id: worker.id });

      expect(viewerWorker.data?.node).toMatchObject({ __typename: 'Worker', id: worker.id });
      expect(viewerAlert.data?.node).toMatchObject({ __typename: 'Alert', id: alertId });
      expect(viewerSilence.data?.node).toMatchObject({ __typename: 'Silence' });
      expect(codeOf(viewerAudit)).toBe('FORBIDDEN');
      expect(viewerAudit.data).toEqual({ node: null });
      expect(viewerUnknown.data).toEqual({ node: null });
      expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
      expect(anonymous.data?.node ?? null).toBeNull();
    });
  });

  describe('PageInfo', () => {
    it('should give the start and end cursors of each page, and a previous page only after a cursor', async () => {
      const filter = { nameContains: 'relay-page-' };
      for (const name of ['relay-page-0', 'relay-page-1', 'relay-page-2']) {
        await importWorker(name);
      }
      const page = async (after?: string | null) =>
        (await requestData(url, WorkersDocument, { filter, first: 2, after }, asViewer)).workers;

      const first = await page();
      const second = await page(first.pageInfo.endCursor);
      const beyond = await page(second.pageInfo.endCursor);

      expect(first.pageInfo).toEqual({
        hasNextPage: true,
        endCursor: first.edges[1].cursor,
        hasPreviousPage: false,
        startCursor: first.edges[0].cursor,
      });
      expect(second.edges.map((edge) => edge.node.name)).toEqual(['relay-page-0']);
      expect(second.pageInfo).toEqual({
        hasNextPage: false,
        endCursor: second.edges[0].cursor,
        hasPreviousPage: true,
        startCursor: second.edges[0].cursor,
      });
      expect(beyond.pageInfo).toEqual({
        hasNextPage: false,
        endCursor: null,
        hasPreviousPage: true,
        startCursor: null,
      });
    });

    it('should answer the same PageInfo on alerts and audit events', async () => {
      const worker = await importWorker('relay-alert-pages');
      await insertAlerts(worker.id, ['CPU_HIGH', 'MEMORY_HIGH', 'IDLE']);
      const alerts = async (after?: string | null) =>
        (
          await requestData(
            url,
            AlertsDocument,
            { filter: { workerId: worker.id }, first: 2, after },
            asViewer,
          )
        ).alerts.pageInfo;
      const audit = async (after?: string | null) =>
        (await requestData(url, AuditEventsDocument, { first: 1, after }, asOperator)).auditEvents
          .pageInfo;

      const firstAlerts = await alerts();
      const secondAlerts = await alerts(firstAlerts.endCursor);
      const firstAudit = await audit();
      const secondAudit = await audit(firstAudit.endCursor);

      expect([firstAlerts, secondAlerts, firstAudit, secondAudit]).toEqual([
        expect.objectContaining({ hasNextPage: true, hasPreviousPage: false }),
        expect.objectContaining({ hasNextPage: false, hasPreviousPage: true }),
        expect.objectContaining({ hasNextPage: true, hasPreviousPage: false }),
        expect.objectContaining({ hasPreviousPage: true }),
      ]);
      expect(firstAlerts.startCursor).not.toBe(firstAlerts.endCursor);
      expect(secondAlerts.startCursor).toBe(secondAlerts.endCursor);
      expect(firstAudit.startCursor).toBe(firstAudit.endCursor);
      expect(secondAudit.startCursor).not.toBe(firstAudit.startCursor);
    });
  });
});
