import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { AlertKind } from '../../src/entities/alert.enums';
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

  describe('notification grouping, links, Opsgenie, email and routes', () => {
    const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/slacksecrettoken';
    const SMTP_URL = 'smtps://mailer:smtppasswordsecret@smtp.example.org:465';
    const EMAIL = {
      WORKER_NOTIFICATION_EMAIL_SMTP_URL: SMTP_URL,
      WORKER_NOTIFICATION_EMAIL_FROM: 'cwm@example.org',
      WORKER_NOTIFICATION_EMAIL_TO: 'oncall@example.org',
    };
    let dir: string;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'cwm-config-'));
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** Writes a file of the test's own directory and returns its path. */
    const fileWith = async (name: string, text: string): Promise<string> => {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    };

    it('should group by kind, severity and region, wait 30s then 5m, with no links, routes or new receivers', () => {
      const config = loadConfig({});

      expect(config.publicUrl).toBeUndefined();
      expect(config.notifications).toMatchObject({
        opsgenie: undefined,
        email: undefined,
        publicUrl: undefined,
        grouping: { by: ['kind', 'severity', 'region'], waitMs: 30_000, intervalMs: 300_000 },
        routes: [],
      });
    });

    it('should take the public URL without its trailing slash, for the dashboard and the notifications', () => {
      const config = loadConfig({ PUBLIC_URL: 'https://cwm.example.org/monitor/' });

      expect(config.publicUrl).toBe('https://cwm.example.org/monitor');
      expect(config.notifications.publicUrl).toBe('https://cwm.example.org/monitor');
      expect(loadConfig({ PUBLIC_URL: 'http://localhost:4000' }).publicUrl).toBe(
        'http://localhost:4000',
      );
    });

    it('should refuse a public URL that links could not be appended to', () => {
      const expected =
        'expected an http:// or https:// URL without query or fragment, such as https://cwm.example.org';

      for (const value of [
        'ftp://cwm.example.org',
        'cwm.example.org',
        'https://x.org/?a=1',
        'https://x.org/#/',
      ]) {
        expect(problemsOf({ PUBLIC_URL: value })).toEqual([
          `PUBLIC_URL=${JSON.stringify(value)}: ${expected}`,
        ]);
      }
    });

    it('should read the grouping labels in any order and durations, 0 sending at once', () => {
      const config = loadConfig({
        WORKER_NOTIFICATION_GROUP_BY: ' worker , kind',
        WORKER_NOTIFICATION_GROUP_WAIT: '0',
        WORKER_NOTIFICATION_GROUP_INTERVAL: '24h',
      });

      expect(config.notifications.grouping).toEqual({
        by: ['worker', 'kind'],
        waitMs: 0,
        intervalMs: 86_400_000,
      });
      expect(
        loadConfig({
          WORKER_NOTIFICATION_GROUP_WAIT: '1h',
          WORKER_NOTIFICATION_GROUP_INTERVAL: '1s',
        }).notifications.grouping,
      ).toMatchObject({ waitMs: 3_600_000, intervalMs: 1_000 });
      expect(
        loadConfig({ WORKER_NOTIFICATION_GROUP_WAIT: '90' }).notifications.grouping.waitMs,
      ).toBe(90_000);
    });

    it('should refuse unknown or repeated labels and durations out of range', () => {
      const labels = 'one or more of kind, severity, region, worker, comma-separated, each once';

      expect(
        problemsOf({
          WORKER_NOTIFICATION_GROUP_BY: 'kind,zone',
          WORKER_NOTIFICATION_GROUP_WAIT: '61m',
          WORKER_NOTIFICATION_GROUP_INTERVAL: '0',
        }),
      ).toEqual([
        'WORKER_NOTIFICATION_GROUP_BY="kind,zone": expected one of kind, severity, region, worker',
        'WORKER_NOTIFICATION_GROUP_WAIT="61m": expected a duration of at most 1h such as 30s, or 0 to send at once',
        'WORKER_NOTIFICATION_GROUP_INTERVAL="0": expected a duration from 1s to 24h such as 5m',
      ]);
      expect(
        problemsOf({
          WORKER_NOTIFICATION_GROUP_BY: 'kind,severity,kind',
          WORKER_NOTIFICATION_GROUP_WAIT: 'soon',
          WORKER_NOTIFICATION_GROUP_INTERVAL: '2d',
        }),
      ).toEqual([
        `WORKER_NOTIFICATION_GROUP_BY="kind,severity,kind": expected ${labels}`,
        'WORKER_NOTIFICATION_GROUP_WAIT="soon": expected a duration of at most 1h such as 30s, or 0 to send at once',
        'WORKER_NOTIFICATION_GROUP_INTERVAL="2d": expected a duration from 1s to 24h such as 5m',
      ]);
      expect(problemsOf({ WORKER_NOTIFICATION_GROUP_BY: ' , ' })).toEqual([
        `WORKER_NOTIFICATION_GROUP_BY=" , ": expected ${labels}`,
      ]);
    });

    it("should send to Opsgenie's US API, its EU one, or the URL given, only with an API key", () => {
      const opsgenieOf = (env: NodeJS.ProcessEnv) => loadConfig(env).notifications.opsgenie;
      const WORKER_NOTIFICATION_OPSGENIE_API_KEY = 'opsgeniekeysecret';

      expect(opsgenieOf({ WORKER_NOTIFICATION_OPSGENIE_API_KEY })).toEqual({
        apiKey: 'opsgeniekeysecret',
        apiUrl: 'https://api.opsgenie.com',
      });
      expect(
        opsgenieOf({
          WORKER_NOTIFICATION_OPSGENIE_API_KEY,
          WORKER_NOTIFICATION_OPSGENIE_REGION: 'eu',
        })?.apiUrl,
      ).toBe('https://api.eu.opsgenie.com');
      expect(
        opsgenieOf({
          WORKER_NOTIFICATION_OPSGENIE_API_KEY,
          WORKER_NOTIFICATION_OPSGENIE_REGION: 'eu',
          WORKER_NOTIFICATION_OPSGENIE_API_URL: 'http://127.0.0.1:9000/opsgenie/',
        })?.apiUrl,
      ).toBe('http://127.0.0.1:9000/opsgenie');
      expect(opsgenieOf({ WORKER_NOTIFICATION_OPSGENIE_REGION: 'eu' })).toBeUndefined();
    });

    it('should refuse an Opsgenie region or URL it cannot use, never showing the API key', () => {
      const problems = problemsOf({
        WORKER_NOTIFICATION_OPSGENIE_API_KEY: 'opsgeniekeysecret',
        WORKER_NOTIFICATION_OPSGENIE_REGION: 'asia',
        WORKER_NOTIFICATION_OPSGENIE_API_URL: 'api.opsgenie.com',
      });

      expect(problems).toEqual([
        'WORKER_NOTIFICATION_OPSGENIE_REGION="asia": expected one of us, eu',
        'WORKER_NOTIFICATION_OPSGENIE_API_URL="api.opsgenie.com": expected a URL starting with http:// or https://',
      ]);
      expect(problems.join('\n')).not.toContain('opsgeniekeysecret');
    });

    it('should mail from the sender to each recipient once, with the CA file and STARTTLS choice given', async () => {
      const caFile = await fileWith('ca.pem', '-----BEGIN CERTIFICATE-----\n');
      const config = loadConfig({
        ...EMAIL,
        WORKER_NOTIFICATION_EMAIL_SMTP_URL: 'smtp://smtp.example.org:587',
        WORKER_NOTIFICATION_EMAIL_TO:
          'oncall@example.org, lab-admins@example.org,oncall@example.org',
        WORKER_NOTIFICATION_EMAIL_TLS_CA_FILE: caFile,
        WORKER_NOTIFICATION_EMAIL_INSECURE: 'true',
      });

      expect(config.notifications.email).toEqual({
        smtpUrl: 'smtp://smtp.example.org:587',
        from: 'cwm@example.org',
        to: ['oncall@example.org', 'lab-admins@example.org'],
        tlsCaFile: caFile,
        insecure: true,
      });
      expect(loadConfig(EMAIL).notifications.email).toMatchObject({
        smtpUrl: SMTP_URL,
        tlsCaFile: undefined,
        insecure: false,
      });
    });

    it('should refuse a bad SMTP URL, sender or recipient, never showing the URL or a recipient', () => {
      const problems = problemsOf({
        WORKER_NOTIFICATION_EMAIL_SMTP_URL: 'https://mailer:smtppasswordsecret@smtp.example.org',
        WORKER_NOTIFICATION_EMAIL_FROM: 'cwm at example.org',
        WORKER_NOTIFICATION_EMAIL_TO: 'oncall@example.org,private.person@,x',
        WORKER_NOTIFICATION_EMAIL_INSECURE: 'yes',
      });

      expect(problems).toEqual([
        'WORKER_NOTIFICATION_EMAIL_SMTP_URL: expected a URL such as smtps://user:password@smtp.example.org (smtp:// or smtps://)',
        'WORKER_NOTIFICATION_EMAIL_FROM="cwm at example.org": expected an email address such as cwm@example.org',
        'WORKER_NOTIFICATION_EMAIL_TO (entry 2): expected an email address such as cwm@example.org',
        'WORKER_NOTIFICATION_EMAIL_TO (entry 3): expected an email address such as cwm@example.org',
        'WORKER_NOTIFICATION_EMAIL_INSECURE="yes": expected one of 0, 1, true, false',
      ]);
      expect(problems.join('\n')).not.toMatch(/smtppasswordsecret|private\.person/);
      expect(problemsOf({ WORKER_NOTIFICATION_EMAIL_SMTP_URL: 'smtp:smtp.example.org' })).toEqual([
        'WORKER_NOTIFICATION_EMAIL_SMTP_URL: expected a URL such as smtps://user:password@smtp.example.org (smtp:// or smtps://)',
      ]);
    });

    it('should want a sender and recipients with an SMTP URL, and neither without one', () => {
      expect(problemsOf({ WORKER_NOTIFICATION_EMAIL_SMTP_URL: SMTP_URL })).toEqual([
        'WORKER_NOTIFICATION_EMAIL_FROM: expected the sender address whenever WORKER_NOTIFICATION_EMAIL_SMTP_URL is set',
        'WORKER_NOTIFICATION_EMAIL_TO: expected one or more recipient addresses whenever WORKER_NOTIFICATION_EMAIL_SMTP_URL is set',
      ]);
      expect(
        problemsOf({
          WORKER_NOTIFICATION_EMAIL_FROM: EMAIL.WORKER_NOTIFICATION_EMAIL_FROM,
          WORKER_NOTIFICATION_EMAIL_TO: EMAIL.WORKER_NOTIFICATION_EMAIL_TO,
        }),
      ).toEqual([
        'WORKER_NOTIFICATION_EMAIL_FROM: expected unset: no email goes out without WORKER_NOTIFICATION_EMAIL_SMTP_URL',
        'WORKER_NOTIFICATION_EMAIL_TO: expected unset: no email goes out without WORKER_NOTIFICATION_EMAIL_SMTP_URL',
      ]);
    });

    it('should refuse at boot a CA file that is missing or not a file', async () => {
      const missing = path.join(dir, 'missing.pem');

      for (const file of [missing, dir]) {
        expect(problemsOf({ ...EMAIL, WORKER_NOTIFICATION_EMAIL_TLS_CA_FILE: file })).toEqual([
          `WORKER_NOTIFICATION_EMAIL_TLS_CA_FILE=${JSON.stringify(file)}: expected the path of a file this process can read`,
        ]);
      }
      await writeFile(missing, 'pem');
      expect(
        loadConfig({ ...EMAIL, WORKER_NOTIFICATION_EMAIL_TLS_CA_FILE: missing }).notifications.email
          ?.tlsCaFile,
      ).toBe(missing);
    });

    it('should take routes as JSON in the environment or from a YAML file', async () => {
      const env = {
        ...EMAIL,
        WORKER_NOTIFICATION_WEBHOOKS: `https://alerts.example.com,${SLACK_URL}`,
        WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'routingkeysecret',
      };
      const rules = [
        { receiver: 'pagerduty', minSeverity: 'CRITICAL' },
        { receiver: 'webhook', kinds: ['IDLE'] },
        { receiver: SLACK_URL, regions: ['eu-west-1'] },
        { receiver: 'email', minSeverity: 'WARNING' },
      ];
      const file = await fileWith(
        'routes.yaml',
        [
          'routes:',
          '  - receiver: pagerduty',
          '    minSeverity: CRITICAL',
          '  - receiver: webhook',
          '    kinds: [IDLE]',
          `  - receiver: ${SLACK_URL}`,
          '    regions: [eu-west-1]',
          '  - { receiver: email, minSeverity: WARNING }',
        ].join('\n'),
      );

      expect(
        loadConfig({ ...env, WORKER_NOTIFICATION_ROUTES: JSON.stringify(rules) }).notifications
          .routes,
      ).toEqual(rules);
      expect(
        loadConfig({ ...env, WORKER_NOTIFICATION_ROUTES_FILE: file }).notifications.routes,
      ).toEqual(rules);
    });

    it('should refuse routes from both the environment and a file', async () => {
      const file = await fileWith('routes.json', '[]');

      expect(
        problemsOf({ WORKER_NOTIFICATION_ROUTES: '[]', WORKER_NOTIFICATION_ROUTES_FILE: file }),
      ).toEqual([
        'WORKER_NOTIFICATION_ROUTES_FILE: expected unset whenever WORKER_NOTIFICATION_ROUTES is set (one or the other)',
      ]);
    });

    it("should list every problem of a routing file with its place, beside the other variables'", async () => {
      const file = await fileWith(
        'routes.yaml',
        [
          'routes:',
          '  - receiver: email',
          '    kinds: [CPU]',
          '  - receiver: pagerduty',
          '    minSeverity: HIGH',
          '    region: [eu-west-1]',
        ].join('\n'),
      );
      const origin = `WORKER_NOTIFICATION_ROUTES_FILE=${JSON.stringify(file)}`;

      expect(problemsOf({ PORT: 'x', WORKER_NOTIFICATION_ROUTES_FILE: file })).toEqual([
        'PORT="x": expected a number',
        `${origin}: routes[0].kinds[0]: "CPU" is not an alert kind (one of ${Object.values(AlertKind).join(', ')})`,
        `${origin}: routes[1]: unknown key "region" (the keys are receiver, minSeverity, kinds, regions)`,
        `${origin}: routes[1].minSeverity: "HIGH" is not a severity (one of INFO, WARNING, CRITICAL)`,
      ]);
      expect(problemsOf({ WORKER_NOTIFICATION_ROUTES_FILE: path.join(dir, 'none.yaml') })).toEqual([
        `WORKER_NOTIFICATION_ROUTES_FILE=${JSON.stringify(path.join(dir, 'none.yaml'))}: expected the path of a YAML or JSON file this process can read`,
      ]);
    });

    it('should refuse a route to a receiver that is not configured, never showing a URL', () => {
      const problems = problemsOf({
        WORKER_NOTIFICATION_WEBHOOKS: 'https://alerts.example.com',
        WORKER_NOTIFICATION_ROUTES: JSON.stringify([
          { receiver: 'webhook' },
          { receiver: 'slack' },
          { receiver: 'pagerduty' },
          { receiver: 'opsgenie' },
          { receiver: 'email' },
          { receiver: SLACK_URL },
          { receiver: 'https://ALERTS.example.com/' },
        ]),
        AWS_MODE: 'cloud',
      });

      expect(problems).toEqual([
        'AWS_MODE="cloud": expected one of emulator, aws',
        'WORKER_NOTIFICATION_ROUTES: routes[1].receiver: "slack" routes to nowhere: WORKER_NOTIFICATION_WEBHOOKS has no Slack webhook',
        'WORKER_NOTIFICATION_ROUTES: routes[2].receiver: "pagerduty" routes to nowhere: WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY is unset',
        'WORKER_NOTIFICATION_ROUTES: routes[3].receiver: "opsgenie" routes to nowhere: WORKER_NOTIFICATION_OPSGENIE_API_KEY is unset',
        'WORKER_NOTIFICATION_ROUTES: routes[4].receiver: "email" routes to nowhere: WORKER_NOTIFICATION_EMAIL_SMTP_URL is unset',
        'WORKER_NOTIFICATION_ROUTES: routes[5].receiver: this webhook URL is not one of WORKER_NOTIFICATION_WEBHOOKS',
      ]);
      expect(problems.join('\n')).not.toContain('slacksecrettoken');
      expect(problemsOf({ WORKER_NOTIFICATION_ROUTES: '[{"receiver": "webhook"}]' })).toEqual([
        'WORKER_NOTIFICATION_ROUTES: routes[0].receiver: "webhook" routes to nowhere: WORKER_NOTIFICATION_WEBHOOKS has no CloudEvents webhook',
      ]);
    });

    it('should check routes to receivers whose other settings are bad, and name only those settings', () => {
      expect(
        problemsOf({
          WORKER_NOTIFICATION_OPSGENIE_API_KEY: 'opsgeniekeysecret',
          WORKER_NOTIFICATION_OPSGENIE_REGION: 'asia',
          WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'routingkeysecret',
          WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: 'not a url',
          WORKER_NOTIFICATION_ROUTES: '[{"receiver": "opsgenie"}, {"receiver": "pagerduty"}]',
        }),
      ).toEqual([
        'WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL="not a url": expected a URL starting with http:// or https://',
        'WORKER_NOTIFICATION_OPSGENIE_REGION="asia": expected one of us, eu',
      ]);
    });

    it('should route to email whose sender is missing as to a configured receiver', () => {
      expect(
        problemsOf({
          WORKER_NOTIFICATION_EMAIL_SMTP_URL: SMTP_URL,
          WORKER_NOTIFICATION_EMAIL_TO: 'oncall@example.org',
          WORKER_NOTIFICATION_ROUTES: '[{"receiver": "email"}]',
        }),
      ).toEqual([
        'WORKER_NOTIFICATION_EMAIL_FROM: expected the sender address whenever WORKER_NOTIFICATION_EMAIL_SMTP_URL is set',
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
        compileAfterRuns: 1,
        maxCompiledDocuments: 500,
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
        GRAPHQL_COMPILE_AFTER_RUNS: '0',
        GRAPHQL_COMPILED_DOCUMENTS_MAX: '50',
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
        compileAfterRuns: 0,
        maxCompiledDocuments: 50,
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
          GRAPHQL_COMPILE_AFTER_RUNS: '-1',
          GRAPHQL_COMPILED_DOCUMENTS_MAX: '0',
          GRAPHQL_INTROSPECTION: 'yes',
          CORS_ORIGINS: 'https://ok.example.com,https://dashboard.example.com/app,*',
        }),
      ).toEqual([
        'GRAPHQL_INTROSPECTION="yes": expected one of 0, 1, true, false',
        'GRAPHQL_MAX_DEPTH="0": expected a number >=1',
        'GRAPHQL_MAX_TOKENS="many": expected a number',
        'GRAPHQL_MAX_BODY_BYTES="10": expected a number >=1024',
        'GRAPHQL_COMPILE_AFTER_RUNS="-1": expected a number >=0',
        'GRAPHQL_COMPILED_DOCUMENTS_MAX="0": expected a number >=1',
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

  describe('OpenTelemetry', () => {
    it('should leave tracing off, and send protobuf, unless told otherwise', () => {
      expect(loadConfig({}).tracing).toEqual({
        tracesUrl: undefined,
        protocol: 'http/protobuf',
        serviceName: 'cml-worker-monitor',
      });
    });

    it.each([
      ['http://collector:4318', 'http://collector:4318/v1/traces'],
      ['http://collector:4318/', 'http://collector:4318/v1/traces'],
      ['https://otel.example.com/otlp', 'https://otel.example.com/otlp/v1/traces'],
    ])('should append the traces path to the base endpoint %s', (endpoint, expected) => {
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }).tracing.tracesUrl).toBe(
        expected,
      );
    });

    it("should take the traces endpoint and protocol as given over the base's", () => {
      const { tracing } = loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/tenant/a',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'lab-fleet-monitor',
      });

      expect(tracing).toEqual({
        tracesUrl: 'https://traces.example.com/tenant/a',
        protocol: 'http/json',
        serviceName: 'lab-fleet-monitor',
      });
    });

    it('should refuse gRPC, which the service cannot speak, saying what it can', () => {
      expect(problemsOf({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual([
        'OTEL_EXPORTER_OTLP_PROTOCOL="grpc": expected http/protobuf or http/json (spans go over OTLP/HTTP only, port 4318: the service has no gRPC exporter)',
      ]);
    });
  });
});
