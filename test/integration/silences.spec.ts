import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { AlertKind, AlertSeverity } from '../../src/entities/alert.enums';
import { Silence } from '../../src/entities/silence.entity';
import { SilenceState } from '../../src/entities/silence.types';
import { ErrorCode } from '../../src/errors/domain-error';
import { createLogger, type Logger } from '../../src/logger';
import { createRepositories, type Repositories } from '../../src/repositories/repositories';
import {
  type CreateSilenceCommand,
  type SilencedAlert,
  SilenceService,
} from '../../src/services/silences/silence.service';
import { insertWorker } from '../support/factories';
import { testLogger } from '../support/silent-logger';
import { dropTestDataSource, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe(SilenceService.name, () => {
  let dataSource: DataSource;
  let repositories: Repositories;
  let statements = 0;
  let now: Date;
  let ended: number;

  const serviceWith = (
    options: { onEnded?: () => Promise<void>; logger?: Logger } = {},
  ): SilenceService =>
    new SilenceService(
      repositories.silences,
      repositories.workers,
      options.onEnded ??
        (() => {
          ended += 1;
          return Promise.resolve();
        }),
      options.logger ?? testLogger(),
      () => now,
    );

  const command = (overrides: Partial<CreateSilenceCommand> = {}): CreateSilenceCommand => ({
    matchers: { awsRegion: 'eu-west-1' },
    endsAt: new Date(now.getTime() + HOUR),
    comment: 'kernel upgrades in eu-west-1',
    ...overrides,
  });

  const statementsDuring = async <T>(work: () => Promise<T>) => {
    const before = statements;
    const result = await work();
    return { result, statements: statements - before };
  };

  beforeAll(async () => {
    dataSource = createDataSource({
      url: testDatabaseUrl(),
      schema: uniqueSchemaName(),
      poolSize: 2,
      logger: testLogger(),
      onStatement: () => {
        statements += 1;
      },
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    repositories = createRepositories(dataSource);
  });

  afterAll(async () => {
    await dropTestDataSource(dataSource);
  });

  beforeEach(() => {
    now = new Date('2026-12-01T10:00:00.000Z');
    ended = 0;
  });

  afterEach(async () => {
    await dataSource.query('DELETE FROM silence');
    await dataSource.query('DELETE FROM worker');
  });

  describe('create', () => {
    it('should store the matchers given, start now by default, and say who created it', async () => {
      const service = serviceWith();
      const workerId = 'A1B2C3D4-0000-4000-8000-000000000001';

      const silence = await service.create(
        command({
          matchers: {
            workerIds: [workerId, workerId.toLowerCase()],
            nameContains: '  lab-  ',
            kinds: [AlertKind.CPU_HIGH, AlertKind.CPU_HIGH],
          },
          comment: '  patching the lab hosts  ',
        }),
        'ci-operator',
      );

      expect(silence).toMatchObject({
        workerIds: [workerId.toLowerCase()],
        nameContains: 'lab-',
        awsRegion: null,
        kinds: [AlertKind.CPU_HIGH],
        severities: null,
        startsAt: now,
        endsAt: new Date(now.getTime() + HOUR),
        comment: 'patching the lab hosts',
        createdBy: 'ci-operator',
        createdAt: now,
      });
      expect(service.stateOf(silence)).toBe(SilenceState.ACTIVE);
      expect(await service.list()).toEqual([silence]);
    });

    it('should accept the limits themselves: 1000 workers, a 200-character name part, one year', async () => {
      const service = serviceWith();
      const workerIds = Array.from(
        { length: 1000 },
        (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      );
      const startsAt = new Date(now.getTime() + HOUR);

      const silence = await service.create(
        command({
          matchers: { workerIds, nameContains: 'n'.repeat(200) },
          startsAt,
          endsAt: new Date('2027-12-01T11:00:00.000Z'),
          comment: 'c'.repeat(1000),
        }),
        'ci-operator',
      );

      expect(silence.workerIds).toHaveLength(1000);
      expect(service.stateOf(silence)).toBe(SilenceState.PENDING);
    });

    const refusals: [string, (now: Date) => Partial<CreateSilenceCommand>, string][] = [
      ['no matcher at all', () => ({ matchers: {} }), 'matchers'],
      [
        'only matchers left null',
        () => ({
          matchers: {
            workerIds: null,
            nameContains: null,
            awsRegion: null,
            kinds: null,
            severities: null,
          },
        }),
        'matchers',
      ],
      ['an empty worker list', () => ({ matchers: { workerIds: [] } }), 'matchers.workerIds'],
      [
        'more than 1000 workers',
        () => ({
          matchers: {
            workerIds: Array.from(
              { length: 1001 },
              (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            ),
          },
        }),
        'matchers.workerIds',
      ],
      [
        'a worker id that is no UUID',
        () => ({ matchers: { workerIds: [UNKNOWN_ID, 'worker-1'] } }),
        'matchers.workerIds',
      ],
      ['a blank name part', () => ({ matchers: { nameContains: '   ' } }), 'matchers.nameContains'],
      [
        'a name part over 200 characters',
        () => ({ matchers: { nameContains: 'n'.repeat(201) } }),
        'matchers.nameContains',
      ],
      [
        'a region of no shape',
        () => ({ matchers: { awsRegion: 'Ireland' } }),
        'matchers.awsRegion',
      ],
      ['an empty kind list', () => ({ matchers: { kinds: [] } }), 'matchers.kinds'],
      ['an empty severity list', () => ({ matchers: { severities: [] } }), 'matchers.severities'],
      ['a blank comment', () => ({ comment: ' \n ' }), 'comment'],
      ['a comment over 1000 characters', () => ({ comment: 'c'.repeat(1001) }), 'comment'],
      [
        'an end at its start',
        (at) => ({
          startsAt: new Date(at.getTime() + HOUR),
          endsAt: new Date(at.getTime() + HOUR),
        }),
        'endsAt',
      ],
      [
        'an end before its start',
        (at) => ({
          startsAt: new Date(at.getTime() + 2 * HOUR),
          endsAt: new Date(at.getTime() + HOUR),
        }),
        'endsAt',
      ],
      [
        'an end in the past',
        (at) => ({
          startsAt: new Date(at.getTime() - 2 * HOUR),
          endsAt: new Date(at.getTime() - HOUR),
        }),
        'endsAt',
      ],
      [
        'an end over a year after its start',
        () => ({ endsAt: new Date('2027-12-01T10:00:00.001Z') }),
        'endsAt',
      ],
    ];

    it.each(refusals)(
      'should refuse %s as BAD_USER_INPUT naming the field',
      async (_, overrides, field) => {
        const service = serviceWith();

        await expect(service.create(command(overrides(now)), 'ci-operator')).rejects.toMatchObject({
          code: ErrorCode.BAD_USER_INPUT,
          field,
        });
        expect(await service.list()).toEqual([]);
      },
    );

    it('should be refused by the database too when it silences everything', async () => {
      await expect(
        repositories.silences.insert({
          workerIds: null,
          nameContains: null,
          awsRegion: null,
          kinds: null,
          severities: null,
          startsAt: now,
          endsAt: new Date(now.getTime() + HOUR),
          comment: 'everything',
          createdBy: 'someone',
          createdAt: now,
        }),
      ).rejects.toMatchObject({ driverError: { constraint: 'silence_has_matcher' } });
    });
  });

  describe('states', () => {
    it('should go from PENDING to ACTIVE to EXPIRED as time passes, and list each state newest first', async () => {
      const service = serviceWith();
      const soon = await service.create(
        command({
          startsAt: new Date(now.getTime() + HOUR),
          endsAt: new Date(now.getTime() + 2 * HOUR),
        }),
        'a',
      );
      now = new Date(now.getTime() + MINUTE);
      const running = await service.create(
        command({ endsAt: new Date(now.getTime() + 3 * HOUR) }),
        'b',
      );
      now = new Date(now.getTime() + MINUTE);
      const short = await service.create(
        command({ endsAt: new Date(now.getTime() + MINUTE) }),
        'c',
      );
      const listed = async () => ({
        all: (await service.list()).map((s) => s.id),
        pending: (await service.list(SilenceState.PENDING)).map((s) => s.id),
        active: (await service.list(SilenceState.ACTIVE)).map((s) => s.id),
        expired: (await service.list(SilenceState.EXPIRED)).map((s) => s.id),
      });

      const atStart = await listed();
      now = new Date(soon.startsAt.getTime() + MINUTE);
      const later = await listed();
      now = new Date(soon.endsAt);
      const atItsEnd = await listed();

      expect(atStart).toEqual({
        all: [short.id, running.id, soon.id],
        pending: [soon.id],
        active: [short.id, running.id],
        expired: [],
      });
      expect(later).toEqual({
        all: [short.id, running.id, soon.id],
        pending: [],
        active: [running.id, soon.id],
        expired: [short.id],
      });
      expect(atItsEnd).toMatchObject({ active: [running.id], expired: [short.id, soon.id] });
      expect(service.stateOf(soon)).toBe(SilenceState.EXPIRED);
    });

    it('should list at most the newest 1000', async () => {
      await dataSource.query(
        `INSERT INTO silence ("awsRegion", "startsAt", "endsAt", comment, "createdBy", "createdAt")
         SELECT 'eu-west-1', $1, $2, 'bulk', 'seed', $1::timestamptz + i * interval '1 ms'
         FROM generate_series(1, 1001) AS i`,
        [now, new Date(now.getTime() + HOUR)],
      );

      const listed = await serviceWith().list();

      expect(listed).toHaveLength(1000);
      expect(listed[0].createdAt.getTime()).toBe(now.getTime() + 1001);
      expect(listed[999].createdAt.getTime()).toBe(now.getTime() + 2);
    });
  });

  describe('expire', () => {
    it('should end an active silence now, tell once, and return it as it is when asked again', async () => {
      const service = serviceWith();
      const silence = await service.create(
        command({ startsAt: new Date(now.getTime() - HOUR) }),
        'a',
      );
      now = new Date(now.getTime() + MINUTE);
      const endedAt = now;

      const expired = await service.expire(silence.id);
      now = new Date(now.getTime() + MINUTE);
      const again = await service.expire(silence.id);

      expect(expired).toMatchObject({
        id: silence.id,
        startsAt: silence.startsAt,
        endsAt: endedAt,
      });
      expect(service.stateOf(expired)).toBe(SilenceState.EXPIRED);
      expect(again).toEqual(expired);
      expect(ended).toBe(1);
      expect(await service.list(SilenceState.EXPIRED)).toEqual([expired]);
    });

    it('should end a pending silence before it starts, with nothing to release', async () => {
      const service = serviceWith();
      const silence = await service.create(
        command({
          startsAt: new Date(now.getTime() + HOUR),
          endsAt: new Date(now.getTime() + 2 * HOUR),
        }),
        'a',
      );

      const expired = await service.expire(silence.id);

      expect(expired).toMatchObject({ startsAt: now, endsAt: now });
      expect(service.stateOf(expired)).toBe(SilenceState.EXPIRED);
      expect(ended).toBe(0);
    });

    it('should leave a silence that ran out on its own as it is', async () => {
      const service = serviceWith();
      const silence = await service.create(
        command({ endsAt: new Date(now.getTime() + MINUTE) }),
        'a',
      );
      now = new Date(now.getTime() + HOUR);

      expect(await service.expire(silence.id)).toEqual(silence);
      expect(ended).toBe(0);
    });

    it('should answer NOT_FOUND for an unknown or malformed id', async () => {
      const service = serviceWith();

      await expect(service.expire(UNKNOWN_ID)).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
        field: 'id',
      });
      await expect(service.expire('nope')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    });

    it('should log a failure to release what it held back, and still return it expired', async () => {
      const lines: string[] = [];
      const service = serviceWith({
        onEnded: () => Promise.reject(new Error('notification store unreachable')),
        logger: createLogger('error', { write: (line: string) => lines.push(line) }),
      });
      const silence = await service.create(command(), 'a');

      const expired = await service.expire(silence.id);

      expect(service.stateOf(expired)).toBe(SilenceState.EXPIRED);
      expect(
        await dataSource.getRepository(Silence).findOneByOrFail({ id: silence.id }),
      ).toMatchObject({
        endsAt: now,
      });
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged).toMatchObject([
        {
          level: 50,
          silenceId: silence.id,
          err: { message: 'notification store unreachable' },
        },
      ]);
    });
  });

  describe('silencedAmong', () => {
    const alertOf = (
      workerId: string,
      kind = AlertKind.CPU_HIGH,
      severity = AlertSeverity.WARNING,
    ): SilencedAlert => ({ id: `${workerId}:${kind}`, workerId, kind, severity });

    it('should spend no statement on no alerts, and one when no silence is active', async () => {
      const service = serviceWith();
      await service.create(
        command({
          startsAt: new Date(now.getTime() + HOUR),
          endsAt: new Date(now.getTime() + 2 * HOUR),
        }),
        'pending',
      );
      await service.create(command({ endsAt: new Date(now.getTime() + MINUTE) }), 'expired');
      now = new Date(now.getTime() + 2 * MINUTE);
      const worker = await insertWorker(dataSource, { awsRegion: 'eu-west-1' });

      const none = await statementsDuring(() => service.silencedAmong([], now));
      const some = await statementsDuring(() => service.silencedAmong([alertOf(worker.id)], now));

      expect(none).toEqual({ result: new Set(), statements: 0 });
      expect(some).toEqual({ result: new Set(), statements: 1 });
    });

    it('should silence the alerts each matcher matches, reading workers only for names and regions', async () => {
      const service = serviceWith();
      const db1 = await insertWorker(dataSource, { name: 'Lab-DB-1', awsRegion: 'eu-west-1' });
      const web1 = await insertWorker(dataSource, { name: 'lab-web-1', awsRegion: 'eu-west-1' });
      const db2 = await insertWorker(dataSource, { name: 'lab-db-2', awsRegion: 'us-east-1' });
      const removedWorker = UNKNOWN_ID;
      const alerts = [
        alertOf(db1.id),
        alertOf(web1.id, AlertKind.MEMORY_HIGH, AlertSeverity.WARNING),
        alertOf(db2.id, AlertKind.STATUS_CHECK_FAILED, AlertSeverity.CRITICAL),
        alertOf(removedWorker, AlertKind.TERMINATED, AlertSeverity.CRITICAL),
      ];
      const cases: [CreateSilenceCommand['matchers'], string[], number][] = [
        [{ workerIds: [web1.id, removedWorker] }, [alerts[1].id, alerts[3].id], 1],
        [{ nameContains: 'LAB-DB' }, [alerts[0].id, alerts[2].id], 2],
        [{ awsRegion: 'eu-west-1' }, [alerts[0].id, alerts[1].id], 2],
        [{ kinds: [AlertKind.MEMORY_HIGH, AlertKind.TERMINATED] }, [alerts[1].id, alerts[3].id], 1],
        [{ severities: [AlertSeverity.CRITICAL] }, [alerts[2].id, alerts[3].id], 1],
        [{ awsRegion: 'eu-west-1', kinds: [AlertKind.CPU_HIGH] }, [alerts[0].id], 2],
      ];

      const outcomes = [];
      for (const [matchers] of cases) {
        const silence = await service.create(command({ matchers }), 'ops');
        const { result, statements: spent } = await statementsDuring(() =>
          service.silencedAmong(alerts, now),
        );
        outcomes.push([[...result].sort(), spent]);
        await service.expire(silence.id);
      }

      expect(outcomes).toEqual(cases.map(([, silenced, spent]) => [[...silenced].sort(), spent]));
    });

    it('should not silence with a silence yet to start or one that has ended', async () => {
      const service = serviceWith();
      const worker = await insertWorker(dataSource, { awsRegion: 'eu-west-1' });
      await service.create(
        command({
          startsAt: new Date(now.getTime() + HOUR),
          endsAt: new Date(now.getTime() + 2 * HOUR),
        }),
        'pending',
      );
      const expired = await service.create(command(), 'expired');
      await service.expire(expired.id);

      expect(await service.silencedAmong([alertOf(worker.id)], now)).toEqual(new Set());
      expect(await service.active(now)).toEqual([]);
    });
  });

  describe('active', () => {
    it('should give each active silence with its end and matchers, able to match alerts', async () => {
      const service = serviceWith();
      const silence = await service.create(
        command({ matchers: { kinds: [AlertKind.IDLE], nameContains: 'lab' } }),
        'ops',
      );

      const { result: active, statements: spent } = await statementsDuring(() =>
        service.active(now),
      );
      const [muting] = await service.muting(now);

      expect(spent).toBe(1);
      expect(active).toEqual([
        {
          id: silence.id,
          endsAt: silence.endsAt,
          matchers: {
            workerIds: null,
            nameContains: 'lab',
            awsRegion: null,
            kinds: [AlertKind.IDLE],
            severities: null,
          },
        },
      ]);
      const facts = {
        workerId: UNKNOWN_ID,
        workerName: 'lab-7',
        awsRegion: 'eu-west-1',
        kind: AlertKind.IDLE,
        severity: AlertSeverity.INFO,
      };
      expect(muting.matches(facts)).toBe(true);
      expect(muting.matches({ ...facts, workerName: 'prod-7' })).toBe(false);
    });
  });
});
