import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { findPackageRoot } from '../../src/package-root';

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

describe(loadConfig.name, () => {
  it('should run on embedded defaults when nothing is set', () => {
    const config = loadConfig({});

    expect(config.http).toEqual({
      host: '127.0.0.1',
      hostSet: false,
      port: 4000,
      limits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        maxConnections: 10_000,
        maxConnectionsPerAddress: 256,
      },
    });
    expect(config.database).toMatchObject({
      kind: 'embedded',
      dataDir: '.data/postgres',
      schema: 'public',
    });
    expect(config.redis).toBeUndefined();
    expect(config.aws).toMatchObject({ mode: 'emulator', region: 'us-east-1', demoFleet: true });
    expect(config.monitoring).toMatchObject({
      enabled: true,
      pollIntervalSeconds: 15,
      metricsPeriodSeconds: 60,
      retentionDays: 14,
    });
    expect(config.jobs).toMatchObject({ store: { kind: 'postgres' }, lockLimit: 2000 });
    expect(config.workerDefaults).toMatchObject({
      cpuThreshold: 90,
      memoryThreshold: 90,
      amiId: expect.stringMatching(/^ami-/),
    });
  });

  it('should use the external stores and real AWS when configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      REDIS_URL: 'redis://cache:6379',
      AWS_MODE: 'aws',
      AWS_REGION: 'eu-central-1',
      WORKER_DEFAULT_SECURITY_GROUP_IDS: 'sg-1, sg-2,',
      WORKER_CPU_THRESHOLD: '75.5',
      WORKER_MONITORING_ENABLED: 'false',
      JOBS_MONGO_URL: 'mongodb://jobs:27017/cwm',
    });

    expect(config.database).toMatchObject({ kind: 'external', url: 'postgres://u:p@db:5432/app' });
    expect(config.redis).toEqual({ url: 'redis://cache:6379', keyPrefix: 'cwm:' });
    expect(config.aws).toEqual({
      mode: 'aws',
      region: 'eu-central-1',
      endpoint: undefined,
      maxAttempts: 3,
      requestTimeoutMs: 10_000,
    });
    expect(config.workerDefaults).toMatchObject({
      amiId: undefined,
      securityGroupIds: ['sg-1', 'sg-2'],
      cpuThreshold: 75.5,
    });
    expect(config.monitoring).toMatchObject({
      enabled: false,
      pollIntervalSeconds: 300,
      metricsPeriodSeconds: 300,
    });
    expect(config.jobs.store).toEqual({ kind: 'mongo', url: 'mongodb://jobs:27017/cwm' });
  });

  it('should name every bad variable and what it expected', () => {
    const problems = problemsOf({
      WORKER_METRICS_POLL_INTERVAL: 'abc',
      PORT: '70000',
      WORKER_CPU_THRESHOLD: '0',
      DATABASE_URL: 'mysql://db',
      AWS_MODE: 'cloud',
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^WORKER_METRICS_POLL_INTERVAL="abc": expected a number/),
        expect.stringMatching(/^PORT="70000": expected a number <=65535/),
        expect.stringMatching(/^WORKER_CPU_THRESHOLD="0": expected a number >0/),
        expect.stringMatching(
          /^DATABASE_URL="mysql:\/\/db": expected a URL starting with postgres:\/\//,
        ),
        expect.stringMatching(/^AWS_MODE="cloud": expected one of emulator, aws/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('should poll the emulator without a demo fleet at the production interval', () => {
    expect(loadConfig({ EMULATOR_DEMO_FLEET: 'false' }).monitoring.pollIntervalSeconds).toBe(300);
    expect(loadConfig({ WORKER_METRICS_POLL_INTERVAL: '2' }).monitoring.pollIntervalSeconds).toBe(
      2,
    );
  });

  it('should give new instances 5 minutes of grace, read as a duration up to an hour, or off', () => {
    const graceOf = (value?: string) =>
      loadConfig({ WORKER_NEW_INSTANCE_GRACE: value }).monitoring.newInstanceGraceMs;

    expect(graceOf()).toBe(300_000);
    expect(graceOf('90s')).toBe(90_000);
    expect(graceOf('2m')).toBe(120_000);
    expect(graceOf('off')).toBe(0);
    expect(graceOf('0')).toBe(0);
    expect(problemsOf({ WORKER_NEW_INSTANCE_GRACE: '2h' })).toEqual([
      'WORKER_NEW_INSTANCE_GRACE="2h": expected off, or a duration of at most 1h such as 5m',
    ]);
  });

  it('should refuse a lock lifetime that a job locked one scan ahead could outlive', () => {
    expect(problemsOf({ JOBS_PROCESS_EVERY_MS: '1000', JOBS_LOCK_LIFETIME_MS: '1500' })).toEqual([
      expect.stringMatching(
        /^JOBS_LOCK_LIFETIME_MS="1500": expected .*twice JOBS_PROCESS_EVERY_MS/,
      ),
    ]);
    expect(problemsOf({ WORKER_METRICS_PERIOD: '120', JOBS_MONGO_URL: 'redis://x' })).toEqual([
      expect.stringMatching(/^WORKER_METRICS_PERIOD="120": expected one of 60, 300/),
      expect.stringMatching(/^JOBS_MONGO_URL="redis:\/\/x": expected a URL starting with mongodb:/),
    ]);
  });

  it("should look for the dashboard's build under the package root, or where DASHBOARD_DIR says", () => {
    const packageRoot = path.join(__dirname, '..', '..');

    expect(loadConfig({}).dashboardDir).toBe(path.join(packageRoot, 'dist', 'web'));
    expect(loadConfig({ DASHBOARD_DIR: 'build/web' }).dashboardDir).toBe(path.resolve('build/web'));
  });

  it('should find the package root from the built code as from the sources', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'cwm-package-'));
    try {
      await mkdir(path.join(root, 'dist', 'src'), { recursive: true });
      await writeFile(path.join(root, 'package.json'), '{}');

      expect(findPackageRoot(path.join(root, 'dist', 'src'))).toBe(root);
      expect(findPackageRoot(root)).toBe(root);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('should treat empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.kind).toBe('embedded');
  });

  describe('alerts and notifications', () => {
    it('should default to one sample, 5 points of hysteresis, 4 h reminders, no idle policy and no receivers', () => {
      const config = loadConfig({});

      expect(config.alerts).toEqual({
        forSamples: 1,
        hysteresis: 5,
        repeatIntervalMs: 4 * 3_600_000,
        idle: { cpuThreshold: 5, afterMs: undefined, autoStop: false },
        autoRemediation: undefined,
      });
      expect(config.notifications).toMatchObject({
        webhookUrls: [],
        webhookSecret: undefined,
        pagerDuty: undefined,
        timeoutMs: 10_000,
        maxAttempts: 5,
      });
    });

    it('should read durations with units, and off', () => {
      const config = loadConfig({
        WORKER_ALERT_REPEAT_INTERVAL: '90s',
        WORKER_IDLE_AFTER: '1.5h',
        WORKER_IDLE_AUTO_STOP: 'true',
        WORKER_AUTO_REMEDIATION: 'true',
        WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS: '2',
      });

      expect(config.alerts).toMatchObject({
        repeatIntervalMs: 90_000,
        idle: { afterMs: 5_400_000, autoStop: true },
        autoRemediation: { maxAttemptsPerDay: 2 },
      });
      expect(loadConfig({ WORKER_ALERT_REPEAT_INTERVAL: 'off' }).alerts.repeatIntervalMs).toBe(
        undefined,
      );
      expect(loadConfig({ WORKER_IDLE_AFTER: 'off' }).alerts.idle.afterMs).toBeUndefined();
      expect(
        problemsOf({ WORKER_ALERT_REPEAT_INTERVAL: '500ms', WORKER_IDLE_AFTER: 'soon' }),
      ).toEqual([
        'WORKER_ALERT_REPEAT_INTERVAL="500ms": expected off, or a duration of at least 1s such as 30m or 4h',
        'WORKER_IDLE_AFTER="soon": expected off, or a duration such as 30m, 2h or 1d',
      ]);
    });

    it('should take the receivers, once each, with PagerDuty only when it has a routing key', () => {
      const config = loadConfig({
        WORKER_NOTIFICATION_WEBHOOKS:
          ' https://a.example.com/hook , https://a.example.com/hook,http://b.example.com',
        WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'key',
      });

      expect(config.notifications.webhookUrls).toEqual([
        'https://a.example.com/hook',
        'http://b.example.com',
      ]);
      expect(config.notifications.pagerDuty).toEqual({
        routingKey: 'key',
        eventsUrl: 'https://events.pagerduty.com/v2/enqueue',
      });
    });

    it('should refuse a webhook that is not http or https, naming its position but never its URL', () => {
      const problems = problemsOf({
        WORKER_NOTIFICATION_WEBHOOKS:
          'https://ok.example.com,ftp://hooks.slack.com/services/T0/B0/tokenInThePath',
        WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: 'not a url',
      });

      expect(problems).toEqual([
        'WORKER_NOTIFICATION_WEBHOOKS (entry 2): expected a URL starting with http:// or https://',
        'WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL="not a url": expected a URL starting with http:// or https://',
      ]);
    });
  });

  describe('HTTP limits and token leeway', () => {
    it('should read timeouts, connection caps and the leeway, 0 lifting the per-address cap', () => {
      const config = loadConfig({
        HTTP_HEADERS_TIMEOUT_MS: '2000',
        HTTP_REQUEST_TIMEOUT_MS: '2000',
        HTTP_MAX_CONNECTIONS: '50',
        HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
        AUTH_JWKS_URL: 'https://idp.example.com/certs',
        AUTH_ISSUER: 'https://idp.example.com',
        AUTH_CLOCK_TOLERANCE_SECONDS: '5',
      });

      expect(config.http.limits).toEqual({
        headersTimeoutMs: 2000,
        requestTimeoutMs: 2000,
        maxConnections: 50,
        maxConnectionsPerAddress: 0,
      });
      expect(config.auth.jwt?.clockToleranceSeconds).toBe(5);
      expect(
        loadConfig({ AUTH_JWKS_URL: 'https://idp.example.com/certs', AUTH_ISSUER: 'x' }).auth.jwt
          ?.clockToleranceSeconds,
      ).toBe(30);
    });

    it('should refuse a headers timeout above the request timeout, which covers the headers', () => {
      expect(
        problemsOf({
          HTTP_HEADERS_TIMEOUT_MS: '20000',
          HTTP_REQUEST_TIMEOUT_MS: '15000',
          AUTH_CLOCK_TOLERANCE_SECONDS: '-1',
        }),
      ).toEqual([
        'AUTH_CLOCK_TOLERANCE_SECONDS="-1": expected a number >=0',
        'HTTP_HEADERS_TIMEOUT_MS="20000": expected a number of milliseconds up to HTTP_REQUEST_TIMEOUT_MS',
      ]);
    });
  });

  describe('GraphQL abuse limits', () => {
    it('should default to limits that admit a full page of workers, and no CORS', () => {
      expect(loadConfig({}).graphql).toEqual({
        introspection: true,
        limits: {
          maxDepth: 12,
          maxAliases: 30,
          maxTokens: 2000,
          maxCost: 500_000,
          maxDirectives: 20,
        },
        execution: { maxExecutionMs: 10_000, maxResponseBytes: 33_554_432 },
        maxBodyBytes: 102_400,
        mutationRate: { perMinute: 120, burst: 120 },
        webSocket: {
          maxPayloadBytes: 65_536,
          initTimeoutMs: 5_000,
          maxSubscriptions: 50,
          maxConnectionsPerCaller: 20,
        },
        corsOrigins: [],
      });
    });

    it('should read every limit, turn the mutation limit off with 0, and take origins once each', () => {
      const config = loadConfig({
        GRAPHQL_INTROSPECTION: 'false',
        GRAPHQL_MAX_DEPTH: '8',
        GRAPHQL_MAX_ALIASES: '0',
        GRAPHQL_MAX_TOKENS: '500',
        GRAPHQL_MAX_COST: '9000',
        GRAPHQL_MAX_DIRECTIVES: '5',
        GRAPHQL_MAX_EXECUTION_MS: '2500',
        GRAPHQL_MAX_RESPONSE_BYTES: '65536',
        GRAPHQL_MAX_BODY_BYTES: '4096',
        GRAPHQL_MUTATION_RATE_LIMIT: '0',
        GRAPHQL_WS_MAX_PAYLOAD_BYTES: '2048',
        GRAPHQL_WS_INIT_TIMEOUT_MS: '1000',
        GRAPHQL_WS_MAX_SUBSCRIPTIONS: '3',
        GRAPHQL_WS_MAX_CONNECTIONS_PER_CALLER: '4',
        CORS_ORIGINS: 'https://a.example.com, http://localhost:5173,https://a.example.com',
      }).graphql;

      expect(config).toEqual({
        introspection: false,
        limits: { maxDepth: 8, maxAliases: 0, maxTokens: 500, maxCost: 9000, maxDirectives: 5 },
        execution: { maxExecutionMs: 2500, maxResponseBytes: 65_536 },
        maxBodyBytes: 4096,
        mutationRate: undefined,
        webSocket: {
          maxPayloadBytes: 2048,
          initTimeoutMs: 1000,
          maxSubscriptions: 3,
          maxConnectionsPerCaller: 4,
        },
        corsOrigins: ['https://a.example.com', 'http://localhost:5173'],
      });
      expect(
        loadConfig({ GRAPHQL_MUTATION_RATE_LIMIT: '30', GRAPHQL_MUTATION_RATE_BURST: '5' }).graphql
          .mutationRate,
      ).toEqual({ perMinute: 30, burst: 5 });
    });

    it('should refuse limits out of range and origins that are not bare origins', () => {
      expect(
        problemsOf({
          GRAPHQL_MAX_DEPTH: '0',
          GRAPHQL_MAX_TOKENS: 'many',
          GRAPHQL_MAX_BODY_BYTES: '10',
          GRAPHQL_INTROSPECTION: 'yes',
          CORS_ORIGINS: 'https://ok.example.com,https://dashboard.example.com/app,*',
        }),
      ).toEqual([
        'GRAPHQL_INTROSPECTION="yes": expected one of 0, 1, true, false',
        'GRAPHQL_MAX_DEPTH="0": expected a number >=1',
        'GRAPHQL_MAX_TOKENS="many": expected a number',
        'GRAPHQL_MAX_BODY_BYTES="10": expected a number >=1024',
        'CORS_ORIGINS (entry 2): expected an origin such as https://dashboard.example.com (no path, no trailing /)',
        'CORS_ORIGINS (entry 3): expected an origin such as https://dashboard.example.com (no path, no trailing /)',
      ]);
    });
  });

  describe('CML', () => {
    it('should ask the emulated controllers with their credentials, and real ones at their private IP', () => {
      expect(loadConfig({}).cml).toMatchObject({
        enabled: true,
        credentials: { username: 'admin', password: 'emulator' },
        endpointFrom: 'emulator',
        tls: { caFile: undefined, insecure: false },
        timeoutMs: 5_000,
        concurrency: 64,
        detailsRefreshMs: 600_000,
        licenseWarningDays: 14,
        credentialsKey: undefined,
      });
      expect(loadConfig({ AWS_MODE: 'aws' }).cml).toMatchObject({
        credentials: undefined,
        endpointFrom: 'private-ip',
      });
    });

    it('should read the account, the key as hex or base64, and durations', () => {
      const key = Buffer.alloc(32, 9);
      const config = loadConfig({
        AWS_MODE: 'aws',
        CML_USERNAME: 'monitor',
        CML_PASSWORD: 'secret',
        CML_ENDPOINT_FROM: 'public-dns',
        CML_ENDPOINT_PORT: '8443',
        CML_DETAILS_REFRESH: '1h',
        CML_CREDENTIALS_KEY: key.toString('hex'),
      }).cml;

      expect(config).toMatchObject({
        credentials: { username: 'monitor', password: 'secret' },
        endpointFrom: 'public-dns',
        endpointPort: 8443,
        detailsRefreshMs: 3_600_000,
      });
      expect(config.credentialsKey?.equals(key)).toBe(true);
      expect(
        loadConfig({ CML_CREDENTIALS_KEY: key.toString('base64') }).cml.credentialsKey?.equals(key),
      ).toBe(true);
    });

    it('should refuse half an account, a short key and emulated controllers on AWS, never showing a secret', () => {
      const problems = problemsOf({
        AWS_MODE: 'aws',
        CML_PASSWORD: 'hunter2-secret',
        CML_CREDENTIALS_KEY: 'c2hvcnQ=',
        CML_ENDPOINT_FROM: 'emulator',
      });

      expect(problems).toEqual([
        'CML_CREDENTIALS_KEY: expected 32 bytes, as 64 hex digits or base64',
      ]);
      const refined = problemsOf({
        AWS_MODE: 'aws',
        CML_PASSWORD: 'hunter2-secret',
        CML_ENDPOINT_FROM: 'emulator',
      });
      expect(refined).toEqual([
        'CML_PASSWORD: expected set together with CML_USERNAME (both or neither)',
        'CML_ENDPOINT_FROM="emulator": expected emulator only with AWS_MODE=emulator or an AWS_ENDPOINT_URL pointing at the emulator',
      ]);
      expect(JSON.stringify([...problems, ...refined])).not.toContain('hunter2');
    });
  });
});
