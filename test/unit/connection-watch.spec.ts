import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { ConnectionWatch, isConnectionError } from '../../src/observability/connection-watch';

function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', destination), lines };
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe(ConnectionWatch.name, () => {
  it('should log one loss and one recovery, with the errors between and the outage length', () => {
    const { logger, lines } = recordingLogger();
    let now = 1_000;
    const watch = new ConnectionWatch({ name: 'redis', logger, now: () => now });

    watch.down('publisher', Object.assign(refused(), { client: { huge: 'x'.repeat(10_000) } }));
    watch.down('subscriber', refused());
    watch.down('publisher', refused());
    now = 4_500;
    watch.up('publisher');
    watch.up('subscriber');
    watch.up('subscriber');

    expect(
      lines.map(({ level, msg, error, errors, outageMs }) => ({
        level,
        msg,
        error,
        errors,
        outageMs,
      })),
    ).toEqual([
      {
        level: 40,
        msg: 'redis connection lost',
        error: { message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' },
        errors: undefined,
        outageMs: undefined,
      },
      {
        level: 30,
        msg: 'redis connection recovered',
        error: undefined,
        errors: 3,
        outageMs: 3_500,
      },
    ]);
  });

  it('should say nothing of what its clients report once closed', () => {
    const { logger, lines } = recordingLogger();
    const watch = new ConnectionWatch({ name: 'postgres', logger });

    watch.close();
    watch.down('pool', refused());

    expect(lines).toEqual([]);
  });

  it('should probe a client nothing else uses until it answers', async () => {
    const { logger, lines } = recordingLogger();
    const watch = new ConnectionWatch({ name: 'postgres', logger, probeEveryMs: 10 });
    let answers = false;
    watch.probeWith('pool', () => (answers ? Promise.resolve() : Promise.reject(refused())));

    watch.down('pool', refused());
    await new Promise((resolve) => setTimeout(resolve, 35));
    answers = true;
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(lines.map((line) => line.msg)).toEqual([
      'postgres connection lost',
      'postgres connection recovered',
    ]);
    expect(lines[1].errors).toBeGreaterThanOrEqual(3);
  });
});

describe(isConnectionError.name, () => {
  it('should tell a store out of reach from a statement that failed', () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(isConnectionError(Object.assign(new Error('terminating'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(
      false,
    );
  });
});
