import { ConfigError, loadConfig } from '../../src/config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('auto-import settings', () => {
  it('should be off without WORKER_AUTO_IMPORT_TAGS', () => {
    expect(loadConfig({}).autoImport).toBeUndefined();
    expect(loadConfig({ WORKER_AUTO_IMPORT_INTERVAL: '1m' }).autoImport).toBeUndefined();
  });

  it('should take key=value pairs, trimmed, every 5 minutes unless told otherwise', () => {
    expect(
      loadConfig({ WORKER_AUTO_IMPORT_TAGS: ' cml-worker = true ,env=lab,empty=,a=b=c' })
        .autoImport,
    ).toEqual({
      tags: [
        { key: 'cml-worker', value: 'true' },
        { key: 'env', value: 'lab' },
        { key: 'empty', value: '' },
        { key: 'a', value: 'b=c' },
      ],
      intervalMs: 300_000,
    });
    expect(
      loadConfig({ WORKER_AUTO_IMPORT_TAGS: 'env=lab', WORKER_AUTO_IMPORT_INTERVAL: '2s' })
        .autoImport?.intervalMs,
    ).toBe(2_000);
  });

  it('should name a pair without a key or an =, a key given twice and an interval out of range', () => {
    expect(problemsOf({ WORKER_AUTO_IMPORT_TAGS: 'cml-worker' })).toEqual([
      'WORKER_AUTO_IMPORT_TAGS="cml-worker": expected comma-separated key=value pairs such as cml-worker=true,env=lab',
    ]);
    expect(problemsOf({ WORKER_AUTO_IMPORT_TAGS: 'env=lab,=x' })).toEqual([
      'WORKER_AUTO_IMPORT_TAGS="env=lab,=x": expected comma-separated key=value pairs such as cml-worker=true,env=lab',
    ]);
    expect(problemsOf({ WORKER_AUTO_IMPORT_TAGS: 'env=lab,env=prod' })).toEqual([
      'WORKER_AUTO_IMPORT_TAGS="env=lab,env=prod": expected each key once: an instance must carry every pair, so a key cannot take two values',
    ]);
    expect(
      problemsOf({ WORKER_AUTO_IMPORT_INTERVAL: '500ms' }).concat(
        problemsOf({ WORKER_AUTO_IMPORT_INTERVAL: '0.5s' }),
        problemsOf({ WORKER_AUTO_IMPORT_INTERVAL: '2d' }),
      ),
    ).toEqual([
      'WORKER_AUTO_IMPORT_INTERVAL="500ms": expected a duration from 1s to 1d such as 5m',
      'WORKER_AUTO_IMPORT_INTERVAL="0.5s": expected a duration from 1s to 1d such as 5m',
      'WORKER_AUTO_IMPORT_INTERVAL="2d": expected a duration from 1s to 1d such as 5m',
    ]);
  });
});
