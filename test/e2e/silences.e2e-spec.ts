import { createHash } from 'node:crypto';
import {
  AlertsDocument,
  CreateSilenceDocument,
  type CreateSilenceMutationVariables,
  ExpireSilenceDocument,
  ImportWorkerDocument,
  RefreshWorkerDocument,
  SilencesDocument,
} from '../generated/graphql';
import { emulatorControl } from '../support/emulator-control';
import { request, requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

const VIEWER_KEY = 'viewer-key-silences-0123456789abcdef01234567';
const OPERATOR_KEY = 'operator-key-silences-0123456789abcdef0123456';
const VIEWER = `Bearer ${VIEWER_KEY}`;
const OPERATOR = `Bearer ${OPERATOR_KEY}`;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const HOUR = 3_600_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const inAnHour = () => new Date(Date.now() + HOUR).toISOString();
const errorOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions;

describe('silences end to end', () => {
  let app: TestApp;

  const create = (input: CreateSilenceMutationVariables['input'], authorization = OPERATOR) =>
    request(app.graphqlUrl, CreateSilenceDocument, { input }, authorization);

  /** A worker of the emulated fleet with CPU_HIGH firing. */
  const hotWorker = async () => {
    const emulator = app.emulator;
    if (!emulator) {
      throw new Error('the test app runs on the emulator');
    }
    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'running' });
    await emulatorControl(emulator.endpoint, 'POST', `instances/${instance.instanceId}/metrics`, {
      cpu: 97,
      memory: 30,
    });
    const { importWorker } = await requestData(
      app.graphqlUrl,
      ImportWorkerDocument,
      { input: { awsInstanceId: instance.instanceId } },
      OPERATOR,
    );
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: importWorker.id }, OPERATOR);
    return importWorker;
  };

  const alertsOf = async (workerId: string) =>
    (
      await requestData(app.graphqlUrl, AlertsDocument, { filter: { workerId } }, VIEWER)
    ).alerts.edges.map((edge) => edge.node);

  beforeAll(async () => {
    app = await startTestApp({
      API_KEYS: `ci-viewer:viewer:${sha256(VIEWER_KEY)},ci-operator:operator:${sha256(OPERATOR_KEY)}`,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('should let a viewer list silences, and refuse a viewer creating or expiring one', async () => {
    const { createSilence } = await requestData(
      app.graphqlUrl,
      CreateSilenceDocument,
      { input: { matchers: { severities: ['INFO'] }, endsAt: inAnHour(), comment: 'quiet' } },
      OPERATOR,
    );

    const listed = await requestData(app.graphqlUrl, SilencesDocument, {}, VIEWER);
    const created = await create(
      { matchers: { kinds: ['IDLE'] }, endsAt: inAnHour(), comment: 'mine' },
      VIEWER,
    );
    const expired = await request(
      app.graphqlUrl,
      ExpireSilenceDocument,
      { id: createSilence.id },
      VIEWER,
    );

    expect(listed.silences.map((silence) => silence.id)).toContain(createSilence.id);
    expect(errorOf(created)).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(expired)).toMatchObject({ code: 'FORBIDDEN' });
    const after = await requestData(app.graphqlUrl, SilencesDocument, { state: 'ACTIVE' }, VIEWER);
    expect(after.silences.find((silence) => silence.id === createSilence.id)?.state).toBe('ACTIVE');
  });

  it('should create a silence for the operator, named after the caller', async () => {
    const endsAt = inAnHour();

    const response = await create({
      matchers: {
        awsRegion: 'eu-central-1',
        kinds: ['STOPPED_UNEXPECTEDLY', 'STATUS_CHECK_FAILED'],
      },
      endsAt,
      comment: '  hypervisor maintenance  ',
    });

    expect(response.errors).toBeUndefined();
    expect(response.data?.createSilence).toMatchObject({
      matchers: {
        workerIds: null,
        nameContains: null,
        awsRegion: 'eu-central-1',
        kinds: ['STOPPED_UNEXPECTEDLY', 'STATUS_CHECK_FAILED'],
        severities: null,
      },
      endsAt,
      comment: 'hypervisor maintenance',
      createdBy: 'ci-operator',
      state: 'ACTIVE',
    });
  });

  it('should answer BAD_USER_INPUT naming the field for input it refuses', async () => {
    const everything = await create({ matchers: {}, endsAt: inAnHour(), comment: 'all' });
    const region = await create({
      matchers: { awsRegion: 'Frankfurt' },
      endsAt: inAnHour(),
      comment: 'x',
    });
    const past = await create({
      matchers: { kinds: ['IDLE'] },
      startsAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      endsAt: new Date(Date.now() - HOUR).toISOString(),
      comment: 'x',
    });
    const blank = await create({ matchers: { kinds: ['IDLE'] }, endsAt: inAnHour(), comment: ' ' });

    expect([everything, region, past, blank].map(errorOf)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'matchers' },
      { code: 'BAD_USER_INPUT', field: 'matchers.awsRegion' },
      { code: 'BAD_USER_INPUT', field: 'endsAt' },
      { code: 'BAD_USER_INPUT', field: 'comment' },
    ]);
  });

  it('should expire a silence now, return it as it is when asked again, and not find others', async () => {
    const { createSilence } = await requestData(
      app.graphqlUrl,
      CreateSilenceDocument,
      { input: { matchers: { nameContains: 'lab' }, endsAt: inAnHour(), comment: 'lab move' } },
      OPERATOR,
    );

    const first = await requestData(
      app.graphqlUrl,
      ExpireSilenceDocument,
      { id: createSilence.id },
      OPERATOR,
    );
    const again = await requestData(
      app.graphqlUrl,
      ExpireSilenceDocument,
      { id: createSilence.id },
      OPERATOR,
    );
    const unknown = await request(
      app.graphqlUrl,
      ExpireSilenceDocument,
      { id: UNKNOWN_ID },
      OPERATOR,
    );
    const malformed = await request(
      app.graphqlUrl,
      ExpireSilenceDocument,
      { id: 'nope' },
      OPERATOR,
    );
    const expired = await requestData(
      app.graphqlUrl,
      SilencesDocument,
      { state: 'EXPIRED' },
      VIEWER,
    );

    expect(first.expireSilence).toMatchObject({ id: createSilence.id, state: 'EXPIRED' });
    expect(Date.parse(first.expireSilence.endsAt)).toBeLessThanOrEqual(Date.now());
    expect(again.expireSilence).toEqual(first.expireSilence);
    expect(errorOf(unknown)).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(malformed)).toMatchObject({ code: 'NOT_FOUND' });
    expect(expired.silences.map((silence) => silence.id)).toContain(createSilence.id);
  });

  it('should say a firing alert is silenced while a silence matches it, and not otherwise', async () => {
    const [silencedWorker, otherWorker] = [await hotWorker(), await hotWorker()];
    const { createSilence } = await requestData(
      app.graphqlUrl,
      CreateSilenceDocument,
      {
        input: {
          matchers: { workerIds: [silencedWorker.id], kinds: ['CPU_HIGH'] },
          endsAt: inAnHour(),
          comment: 'load test on one worker',
        },
      },
      OPERATOR,
    );

    const whileSilenced = [await alertsOf(silencedWorker.id), await alertsOf(otherWorker.id)];
    await requestData(app.graphqlUrl, ExpireSilenceDocument, { id: createSilence.id }, OPERATOR);
    const afterwards = await alertsOf(silencedWorker.id);

    expect(whileSilenced).toMatchObject([
      [{ kind: 'CPU_HIGH', state: 'FIRING', silenced: true }],
      [{ kind: 'CPU_HIGH', state: 'FIRING', silenced: false }],
    ]);
    expect(afterwards).toMatchObject([{ kind: 'CPU_HIGH', state: 'FIRING', silenced: false }]);
  });
});
