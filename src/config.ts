import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiKeysError, parseApiKeys, type ApiKeyEntry } from './auth/api-keys';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_ROLES_CLAIM } from './auth/jwt';
import { EMULATOR_IMAGE_ID } from './emulator/fleet.state';
import { findPackageRoot } from './package-root';
import { GROUP_LABELS, type GroupLabel } from './services/notifications/group-notice';
import {
  receiversOf,
  type EmailSettings,
  type ReceiverKind,
} from './services/notifications/receivers';
import { kindNamed, parseRoutes, type RouteRule } from './services/notifications/routing';

const booleanFromString = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(1).max(65535);
/** 0 lets the system pick a free port. */
const listenPort = z.coerce.number().int().min(0).max(65535);
const percent = z.coerce.number().gt(0).lte(100);
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const requiredUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
const url = (protocols: string[]) => requiredUrl(protocols).optional();
const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
const otlpProtocol = z
  .string()
  .trim()
  .refine(
    (v): v is (typeof OTLP_PROTOCOLS)[number] => (OTLP_PROTOCOLS as readonly string[]).includes(v),
    'http/protobuf or http/json (spans go over OTLP/HTTP only, port 4318: the service has no gRPC exporter)',
  );
/** A count of at least `min`, with its default. */
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const commaSeparated = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

/** Seconds, or a number with a unit: 90s, 15m, 4h, 1d. */
const DURATION = /^\d+(\.\d+)?\s*(s|m|h|d)?$/;
/** A duration from minMs to maxMs, in milliseconds. */
const duration = (minMs: number, maxMs: number, expectation: string) =>
  z
    .string()
    .trim()
    .regex(DURATION, expectation)
    .transform((v) => toMilliseconds(v))
    .refine((ms) => ms >= minMs && ms <= maxMs, expectation);
const withoutTrailingSlash = (v: string) => v.replace(/\/+$/, '');
/** Permissive on purpose: the SMTP server is the judge, this only catches what cannot be one. */
const EMAIL_ADDRESS = /^[^\s@<>,;"]+@[a-z0-9-]+(\.[a-z0-9-]+)*$/i;
const EMAIL_EXPECTATION = 'an email address such as cwm@example.org';
const readableFile = optionalString.refine(
  (file) => file === undefined || isReadableFile(file),
  'the path of a file this process can read',
);

const ORIGIN_EXPECTATION =
  'an origin such as https://dashboard.example.com (no path, no trailing /)';
const TAG_PAIRS_EXPECTATION = 'comma-separated key=value pairs such as cml-worker=true,env=lab';

/** `key=value`, split at the first `=`: a value may hold more of them, a key cannot. */
function toTagPair(pair: string): { key: string; value: string } {
  const at = pair.indexOf('=');
  return { key: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
}

/** A browser origin exactly as browsers send it in the `Origin` header. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const AMI_ID_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

const variables = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(25_000),
  METRICS_TOKEN: optionalString,
  BUILD_REVISION: z.string().trim().min(1).default('unknown'),
  METRICS_WORKER_GAUGES_MAX_FLEET: count(0, 1_000_000, 2_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('cml-worker-monitor'),
  API_KEYS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      try {
        return parseApiKeys(text ?? '');
      } catch (error) {
        if (!(error instanceof ApiKeysError)) {
          throw error;
        }
        error.problems.forEach((message) =>
          ctx.addIssue({ code: 'custom', message, params: { verbatim: true } }),
        );
        return z.NEVER;
      }
    }),
  AUTH_JWKS_URL: url(['https:', 'http:']),
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  AUTH_ROLES_CLAIM: z.string().trim().min(1).default(DEFAULT_ROLES_CLAIM),
  AUTH_CLOCK_TOLERANCE_SECONDS: count(0, 300, DEFAULT_CLOCK_TOLERANCE_SECONDS),
  HOST: z.string().trim().min(1).optional(),
  PORT: listenPort.default(4000),
  HTTP_HEADERS_TIMEOUT_MS: count(1_000, 600_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: count(1_000, 600_000, 30_000),
  HTTP_MAX_CONNECTIONS: count(1, 1_000_000, 10_000),
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: count(0, 1_000_000, 256),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DASHBOARD_DIR: optionalString,

  GRAPHQL_INTROSPECTION: booleanFromString.default(true),
  GRAPHQL_MAX_DEPTH: count(1, 1_000, 12),
  GRAPHQL_MAX_ALIASES: count(0, 10_000, 30),
  GRAPHQL_MAX_TOKENS: count(100, 1_000_000, 2_000),
  GRAPHQL_MAX_COST: count(1, 1_000_000_000, 500_000),
  GRAPHQL_MAX_EXECUTION_MS: count(100, 600_000, 10_000),
  GRAPHQL_MAX_RESPONSE_BYTES: count(1_024, 1_024 * 1_048_576, 32 * 1_048_576),
  GRAPHQL_MAX_DIRECTIVES: count(0, 10_000, 20),
  GRAPHQL_MAX_BODY_BYTES: count(1_024, 100 * 1_048_576, 102_400),
  GRAPHQL_COMPILE_AFTER_RUNS: count(0, 1_000_000, 1),
  GRAPHQL_COMPILED_DOCUMENTS_MAX: count(1, 1_000_000, 500),
  GRAPHQL_MUTATION_RATE_LIMIT: count(0, 1_000_000, 120),
  GRAPHQL_MUTATION_RATE_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  GRAPHQL_WS_MAX_PAYLOAD_BYTES: count(1_024, 100 * 1_048_576, 65_536),
  GRAPHQL_WS_INIT_TIMEOUT_MS: count(100, 600_000, 5_000),
  GRAPHQL_WS_MAX_SUBSCRIPTIONS: count(1, 100_000, 50),
  GRAPHQL_WS_MAX_CONNECTIONS_PER_CALLER: count(1, 100_000, 20),
  CORS_ORIGINS: commaSeparated.pipe(z.array(z.string().refine(isOrigin, ORIGIN_EXPECTATION))),

  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATABASE_SCHEMA: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase Postgres schema name')
    .default('public'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  EMBEDDED_POSTGRES_DIR: z.string().trim().min(1).default('.data/postgres'),
  EMBEDDED_POSTGRES_PORT: port.default(5433),

  REDIS_URL: url(['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: z.string().default('cwm:'),

  AWS_MODE: z.enum(['emulator', 'aws']).default('emulator'),
  AWS_REGION: z
    .string()
    .trim()
    .regex(AWS_REGION_PATTERN, 'an AWS region such as eu-west-1')
    .default('us-east-1'),
  AWS_ENDPOINT_URL: url(['http:', 'https:']),
  AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  AWS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  EMULATOR_PORT: listenPort.optional(),
  EMULATOR_DEMO_FLEET: booleanFromString.default(true),

  WORKER_DEFAULT_AMI_ID: z
    .string()
    .trim()
    .regex(AMI_ID_PATTERN, 'an AMI id such as ami-0123456789abcdef0')
    .optional(),
  WORKER_DEFAULT_INSTANCE_TYPE: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'an EC2 instance type such as c5.2xlarge')
    .default('c5.2xlarge'),
  WORKER_DEFAULT_SUBNET_ID: optionalString,
  WORKER_DEFAULT_SECURITY_GROUP_IDS: commaSeparated,
  WORKER_DEFAULT_KEY_NAME: optionalString,
  WORKER_MONITORING_ENABLED: booleanFromString.default(true),
  WORKER_METRICS_POLL_INTERVAL: z.coerce.number().int().min(1).max(86400).optional(),
  WORKER_METRICS_PERIOD: z.enum(['60', '300']).transform(Number).optional(),
  WORKER_POLL_BATCH_WINDOW_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  WORKER_POLL_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(1).max(60_000).default(2_000),
  WORKER_NEW_INSTANCE_GRACE: z
    .string()
    .trim()
    .regex(/^(off|\d+(\.\d+)?\s*(ms|s|m|h)?)$/, 'off, or a duration of at most 1h such as 5m')
    // 0 stands for off: zod would put the default in place of an undefined.
    .transform((v) => (v === 'off' ? 0 : toMilliseconds(v)))
    .refine((ms) => ms <= 3_600_000, 'off, or a duration of at most 1h such as 5m')
    .default(5 * 60_000),
  METRICS_RETENTION_DAYS: z.coerce.number().gt(0).max(3650).default(14),
  AUDIT_RETENTION_DAYS: z.coerce.number().gt(0).max(3650).default(90),

  JOBS_MONGO_URL: url(['mongodb:', 'mongodb+srv:']),
  JOBS_PROCESS_EVERY_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  JOBS_LOCK_LIFETIME_MS: z.coerce.number().int().min(500).max(86_400_000).default(120_000),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(100_000).default(2_000),
  JOBS_LOCK_LIMIT: z.coerce.number().int().min(0).max(100_000).default(2_000),
  WORKER_CPU_THRESHOLD: percent.default(90),
  WORKER_MEMORY_THRESHOLD: percent.default(90),

  WORKER_ALERT_FOR_SAMPLES: z.coerce.number().int().min(1).max(1000).default(1),
  WORKER_ALERT_HYSTERESIS: z.coerce.number().min(0).lt(100).default(5),
  WORKER_ALERT_REPEAT_INTERVAL: z
    .string()
    .trim()
    .regex(
      /^(off|\d+(\.\d+)?\s*(s|m|h|d)?)$/,
      'off, or a duration of at least 1s such as 30m or 4h',
    )
    // 0 stands for off: zod would put the default in place of an undefined.
    .transform((v) => (v === 'off' ? 0 : toMilliseconds(v)))
    .refine((ms) => ms === 0 || ms >= 1000, 'off, or a duration of at least 1s')
    .default(4 * 3_600_000),
  WORKER_IDLE_CPU_THRESHOLD: percent.default(5),
  WORKER_IDLE_AFTER: z
    .string()
    .trim()
    .regex(/^(off|\d+(\.\d+)?\s*(ms|s|m|h|d)?)$/, 'off, or a duration such as 30m, 2h or 1d')
    .transform((v) => (v === 'off' ? undefined : toMilliseconds(v) || undefined))
    .optional(),
  WORKER_IDLE_AUTO_STOP: booleanFromString.default(false),
  WORKER_AUTO_REMEDIATION: booleanFromString.default(false),
  WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  WORKER_AUTO_IMPORT_TAGS: commaSeparated
    .pipe(z.array(z.string().regex(/^[^=]+=/, TAG_PAIRS_EXPECTATION)))
    .transform((pairs) => pairs.map(toTagPair))
    .refine(
      (tags) => new Set(tags.map((tag) => tag.key)).size === tags.length,
      'each key once: an instance must carry every pair, so a key cannot take two values',
    ),
  WORKER_AUTO_IMPORT_INTERVAL: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?\s*(s|m|h|d)?$/, 'a duration from 1s to 1d such as 5m')
    .transform((v) => toMilliseconds(v))
    .refine((ms) => ms >= 1_000 && ms <= 86_400_000, 'a duration from 1s to 1d such as 5m')
    .default(5 * 60_000),

  CML_MONITORING: booleanFromString.default(true),
  CML_USERNAME: optionalString,
  CML_PASSWORD: optionalString,
  CML_ENDPOINT_FROM: z.enum(['private-ip', 'public-ip', 'public-dns', 'emulator']).optional(),
  CML_ENDPOINT_PORT: port.optional(),
  CML_TLS_CA_FILE: optionalString,
  CML_TLS_INSECURE: booleanFromString.default(false),
  CML_TIMEOUT_MS: count(100, 120_000, 5_000),
  CML_CONCURRENCY: count(1, 1_000, 64),
  CML_DETAILS_REFRESH: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)?$/, 'a duration such as 10m or 1h')
    .transform((v) => toMilliseconds(v))
    .refine((ms) => ms >= 1_000, 'a duration of at least 1s')
    .default(10 * 60_000),
  CML_LICENSE_WARNING_DAYS: count(1, 365, 14),
  CML_CREDENTIALS_KEY: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') {
        return undefined;
      }
      const key = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
      if (key.length !== 32) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected 32 bytes, as 64 hex digits or base64',
          params: { verbatim: true },
        });
        return z.NEVER;
      }
      return key;
    }),

  WORKER_NOTIFICATION_WEBHOOKS: commaSeparated.pipe(z.array(requiredUrl(['http:', 'https:']))),
  WORKER_NOTIFICATION_WEBHOOK_SECRET: optionalString,
  WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: optionalString,
  WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL: url(['http:', 'https:']).default(
    'https://events.pagerduty.com/v2/enqueue',
  ),
  WORKER_NOTIFICATION_SOURCE: z.string().trim().min(1).default('/cml-worker-monitor'),
  WORKER_NOTIFICATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  WORKER_NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  WORKER_NOTIFICATION_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  PUBLIC_URL: z
    .string()
    .trim()
    .refine(
      isPageUrl,
      'an http:// or https:// URL without query or fragment, such as https://cwm.example.org',
    )
    .transform(withoutTrailingSlash)
    .optional(),
  WORKER_NOTIFICATION_GROUP_BY: commaSeparated
    .pipe(z.array(z.enum(GROUP_LABELS)))
    .refine(
      (labels) => labels.length > 0 && new Set(labels).size === labels.length,
      `one or more of ${GROUP_LABELS.join(', ')}, comma-separated, each once`,
    )
    .default(['kind', 'severity', 'region']),
  WORKER_NOTIFICATION_GROUP_WAIT: duration(
    0,
    3_600_000,
    'a duration of at most 1h such as 30s, or 0 to send at once',
  ).default(30_000),
  WORKER_NOTIFICATION_GROUP_INTERVAL: duration(
    1_000,
    86_400_000,
    'a duration from 1s to 24h such as 5m',
  ).default(5 * 60_000),
  WORKER_NOTIFICATION_OPSGENIE_API_KEY: optionalString,
  WORKER_NOTIFICATION_OPSGENIE_REGION: z.enum(['us', 'eu']).default('us'),
  WORKER_NOTIFICATION_OPSGENIE_API_URL: requiredUrl(['http:', 'https:'])
    .transform(withoutTrailingSlash)
    .optional(),
  WORKER_NOTIFICATION_EMAIL_SMTP_URL: z
    .string()
    .trim()
    .refine(isSmtpUrl, 'a URL such as smtps://user:password@smtp.example.org (smtp:// or smtps://)')
    .optional(),
  WORKER_NOTIFICATION_EMAIL_FROM: z
    .string()
    .trim()
    .regex(EMAIL_ADDRESS, EMAIL_EXPECTATION)
    .optional(),
  WORKER_NOTIFICATION_EMAIL_TO: commaSeparated.pipe(
    z.array(z.string().regex(EMAIL_ADDRESS, EMAIL_EXPECTATION)),
  ),
  WORKER_NOTIFICATION_EMAIL_TLS_CA_FILE: readableFile,
  WORKER_NOTIFICATION_EMAIL_INSECURE: booleanFromString.default(false),
  WORKER_NOTIFICATION_ROUTES: optionalString.transform((text, ctx) =>
    text === undefined ? undefined : routesFrom('WORKER_NOTIFICATION_ROUTES', text, ctx),
  ),
  WORKER_NOTIFICATION_ROUTES_FILE: optionalString.transform((file, ctx) =>
    file === undefined ? undefined : routesFromFile(file, ctx),
  ),
});

/** Every variable the service reads, for the deployment files to be checked against. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(variables.shape);

/** The variables as parsed, before the checks that involve several of them. */
type Variables = z.output<typeof variables>;

const EMAIL_VARIABLES = [
  'WORKER_NOTIFICATION_EMAIL_SMTP_URL',
  'WORKER_NOTIFICATION_EMAIL_FROM',
  'WORKER_NOTIFICATION_EMAIL_TO',
] as const;
const ROUTE_VARIABLES = [
  'WORKER_NOTIFICATION_ROUTES',
  'WORKER_NOTIFICATION_ROUTES_FILE',
  'WORKER_NOTIFICATION_WEBHOOKS',
] as const;

const environmentSchema = variables
  .refine((env) => !env.AUTH_JWKS_URL || env.AUTH_ISSUER, {
    path: ['AUTH_ISSUER'],
    message: "the issuer (the tokens' iss) whenever AUTH_JWKS_URL is set",
  })
  .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
    // The request's timeout covers its headers too.
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
    message: 'a number of milliseconds up to HTTP_REQUEST_TIMEOUT_MS',
  })
  .refine((env) => env.ROLE === 'all' || (env.DATABASE_URL && env.REDIS_URL), {
    // Split roles share the registry and the events: an embedded database and an in-process
    // pub/sub are one process's own.
    path: ['ROLE'],
    message: 'all, unless DATABASE_URL and REDIS_URL are set (api and worker processes share them)',
  })
  .refine((env) => (env.CML_USERNAME === undefined) === (env.CML_PASSWORD === undefined), {
    path: ['CML_PASSWORD'],
    message: 'set together with CML_USERNAME (both or neither)',
  })
  .refine(
    (env) =>
      env.CML_ENDPOINT_FROM !== 'emulator' || env.AWS_MODE === 'emulator' || env.AWS_ENDPOINT_URL,
    {
      // The emulator's controllers live on its own port, beside its AWS endpoint.
      path: ['CML_ENDPOINT_FROM'],
      message:
        'emulator only with AWS_MODE=emulator or an AWS_ENDPOINT_URL pointing at the emulator',
    },
  )
  .refine((env) => env.JOBS_LOCK_LIFETIME_MS > 2 * env.JOBS_PROCESS_EVERY_MS, {
    // Agenda locks jobs up to one processEvery ahead of their run: a shorter lock would expire
    // before the job starts and let another process run it too.
    path: ['JOBS_LOCK_LIFETIME_MS'],
    message: 'a number of milliseconds above twice JOBS_PROCESS_EVERY_MS',
  })
  .refine(
    (env) =>
      env.WORKER_NOTIFICATION_ROUTES === undefined ||
      env.WORKER_NOTIFICATION_ROUTES_FILE === undefined,
    {
      path: ['WORKER_NOTIFICATION_ROUTES_FILE'],
      message: 'expected unset whenever WORKER_NOTIFICATION_ROUTES is set (one or the other)',
      params: { verbatim: true },
      // Whether each is set holds even when its content is bad.
      when: () => true,
    },
  )
  .superRefine(checkEmail, { when: whenParsed(EMAIL_VARIABLES) })
  .superRefine(checkRoutes, { when: whenParsed(ROUTE_VARIABLES) });

/** Where route rules came from, the name their problems go by. */
interface RoutesSource {
  origin: string;
  rules: RouteRule[];
}

function routesFrom(origin: string, text: string, ctx: z.RefinementCtx): RoutesSource {
  const parsed = parseRoutes(text, origin);
  if ('errors' in parsed) {
    for (const message of parsed.errors) {
      ctx.addIssue({ code: 'custom', message, params: { named: true } });
    }
    return z.NEVER;
  }
  return { origin, rules: parsed.rules };
}

function routesFromFile(file: string, ctx: z.RefinementCtx): RoutesSource {
  const origin = `WORKER_NOTIFICATION_ROUTES_FILE=${JSON.stringify(file)}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `${origin}: expected the path of a YAML or JSON file this process can read`,
      params: { named: true },
    });
    return z.NEVER;
  }
  return routesFrom(origin, text, ctx);
}

/** A check across variables runs once those it reads parsed, whatever the others' state. */
function whenParsed(names: readonly (keyof Variables)[]) {
  return (payload: z.core.ParsePayload): boolean =>
    !payload.issues.some((issue) => names.some((name) => issue.path?.[0] === name));
}

/** Email goes out with its SMTP URL, sender and recipients together; one alone is a mistake. */
function checkEmail(env: Variables, ctx: z.RefinementCtx): void {
  const problem = (name: (typeof EMAIL_VARIABLES)[number], message: string) =>
    ctx.addIssue({ code: 'custom', path: [name], message, params: { verbatim: true } });
  const on = env.WORKER_NOTIFICATION_EMAIL_SMTP_URL !== undefined;
  const off = 'expected unset: no email goes out without WORKER_NOTIFICATION_EMAIL_SMTP_URL';
  if (on && env.WORKER_NOTIFICATION_EMAIL_FROM === undefined) {
    problem(
      'WORKER_NOTIFICATION_EMAIL_FROM',
      'expected the sender address whenever WORKER_NOTIFICATION_EMAIL_SMTP_URL is set',
    );
  }
  if (on && env.WORKER_NOTIFICATION_EMAIL_TO.length === 0) {
    problem(
      'WORKER_NOTIFICATION_EMAIL_TO',
      'expected one or more recipient addresses whenever WORKER_NOTIFICATION_EMAIL_SMTP_URL is set',
    );
  }
  if (!on && env.WORKER_NOTIFICATION_EMAIL_FROM !== undefined) {
    problem('WORKER_NOTIFICATION_EMAIL_FROM', off);
  }
  if (!on && env.WORKER_NOTIFICATION_EMAIL_TO.length > 0) {
    problem('WORKER_NOTIFICATION_EMAIL_TO', off);
  }
}

/** Why a route naming a receiver kind would route to nowhere. */
const UNCONFIGURED: Record<ReceiverKind, string> = {
  CLOUDEVENTS: 'WORKER_NOTIFICATION_WEBHOOKS has no CloudEvents webhook',
  SLACK: 'WORKER_NOTIFICATION_WEBHOOKS has no Slack webhook',
  PAGERDUTY: 'WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY is unset',
  OPSGENIE: 'WORKER_NOTIFICATION_OPSGENIE_API_KEY is unset',
  EMAIL: 'WORKER_NOTIFICATION_EMAIL_SMTP_URL is unset',
};

/** A route to a receiver that is not configured is a mistake: it would never take an alert. */
function checkRoutes(env: Variables, ctx: z.RefinementCtx): void {
  const source = env.WORKER_NOTIFICATION_ROUTES ?? env.WORKER_NOTIFICATION_ROUTES_FILE;
  if (source === undefined) {
    return;
  }
  // Only webhooks need receiversOf, which tells Slack from CloudEvents and spells their URLs as
  // the rules do; the other kinds are there when their variable is set, even with a bad value.
  const webhooks = receiversOf({
    ...notificationsOf(env),
    pagerDuty: undefined,
    opsgenie: undefined,
    email: undefined,
  });
  const configured: Record<ReceiverKind, boolean> = {
    CLOUDEVENTS: webhooks.some((webhook) => webhook.kind === 'CLOUDEVENTS'),
    SLACK: webhooks.some((webhook) => webhook.kind === 'SLACK'),
    PAGERDUTY: env.WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY !== undefined,
    OPSGENIE: env.WORKER_NOTIFICATION_OPSGENIE_API_KEY !== undefined,
    EMAIL: env.WORKER_NOTIFICATION_EMAIL_SMTP_URL !== undefined,
  };
  const problemOf = (rule: RouteRule): string | undefined => {
    const kind = kindNamed(rule.receiver);
    if (kind === undefined) {
      return webhooks.some((webhook) => webhook.url === rule.receiver)
        ? undefined
        : 'this webhook URL is not one of WORKER_NOTIFICATION_WEBHOOKS';
    }
    return configured[kind]
      ? undefined
      : `"${rule.receiver}" routes to nowhere: ${UNCONFIGURED[kind]}`;
  };
  source.rules.forEach((rule, index) => {
    const problem = problemOf(rule);
    if (problem !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${source.origin}: routes[${index}].receiver: ${problem}`,
        params: { named: true },
      });
    }
  });
}

type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  env: Environment['NODE_ENV'];
  /** api: serves GraphQL and schedules jobs; worker: runs jobs; all: both. */
  role: Environment['ROLE'];
  shutdownTimeoutMs: number;
  /** Set: GET /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** The source revision the build came from (the image's REVISION), for `cwm_build_info`. */
  buildRevision: string;
  /** Per-worker gauges up to this many workers; past it, only the counts by status and region. */
  metricsWorkerGaugesMaxFleet: number;
  /** tracesUrl unset: no tracing at all. */
  tracing: {
    tracesUrl: string | undefined;
    protocol: (typeof OTLP_PROTOCOLS)[number];
    serviceName: string;
  };
  /** Neither API keys nor a JWKS: authentication is off. */
  auth: {
    apiKeys: ApiKeyEntry[];
    jwt:
      | {
          jwksUrl: string;
          issuer: string;
          audience: string | undefined;
          rolesClaim: string;
          /** Leeway on `exp` and `nbf`, for every transport and for a socket's whole life. */
          clockToleranceSeconds: number;
        }
      | undefined;
  };
  /** hostSet: HOST was given, rather than the loopback-only default. */
  http: {
    host: string;
    hostSet: boolean;
    port: number;
    /** Slow or numerous connections must not hold the server's sockets. */
    limits: {
      /** The request line and headers must arrive within this (else 408). */
      headersTimeoutMs: number;
      /** The whole request, body included, must arrive within this (else 408). */
      requestTimeoutMs: number;
      /** Open connections, WebSockets included; more are dropped. */
      maxConnections: number;
      /** Open connections per client address; more are dropped. 0: no cap. */
      maxConnectionsPerAddress: number;
    };
  };
  /** Absolute path of the operator dashboard's build (`vite build` output), served at `/`. */
  dashboardDir: string;
  /** Where operators reach the dashboard, without trailing slash; undefined: no links to it. */
  publicUrl: string | undefined;
  logLevel: Environment['LOG_LEVEL'];
  /** Abuse limits and browser policy of the GraphQL endpoint (HTTP and WebSocket). */
  graphql: {
    /** Off: introspection is refused and validation errors suggest no field names. */
    introspection: boolean;
    /** Refused before execution; cost is the most fields an answer can hold (operation-cost.ts). */
    limits: {
      maxDepth: number;
      maxAliases: number;
      maxTokens: number;
      maxCost: number;
      maxDirectives: number;
    };
    /** Hard stops of a query behind the cost estimate. */
    execution: { maxExecutionMs: number; maxResponseBytes: number };
    /** Runs of a document on graphql-js before it is compiled (compiled-execution.ts); 0: at once. */
    compileAfterRuns: number;
    /** Documents whose compiled code is kept, least recently run dropped first. */
    maxCompiledDocuments: number;
    maxBodyBytes: number;
    /** Mutations per caller (principal, else client address); undefined: unlimited. */
    mutationRate: { perMinute: number; burst: number } | undefined;
    webSocket: {
      maxPayloadBytes: number;
      /** A connection that sends no connection_init within this is closed (4408). */
      initTimeoutMs: number;
      /** Operations running at once on one connection, subscriptions included. */
      maxSubscriptions: number;
      /** Open connections per caller; the next one is closed with 1013 (try again later). */
      maxConnectionsPerCaller: number;
    };
    /** Browser origins allowed to call the API (CORS); empty: no CORS headers at all. */
    corsOrigins: string[];
  };
  database:
    | { kind: 'external'; url: string; schema: string; poolSize: number }
    | { kind: 'embedded'; dataDir: string; port: number; schema: string; poolSize: number };
  redis: { url: string; keyPrefix: string } | undefined;
  aws:
    | {
        mode: 'aws';
        region: string;
        endpoint: string | undefined;
        maxAttempts: number;
        requestTimeoutMs: number;
      }
    | {
        mode: 'emulator';
        region: string;
        maxAttempts: number;
        requestTimeoutMs: number;
        /** Unset: 4566, the port AWS tools expect, or a free one when that is taken. */
        emulatorPort: number | undefined;
        demoFleet: boolean;
      };
  /** Mutations' records older than this many days are pruned. */
  audit: { retentionDays: number };
  monitoring: {
    /** Off: no poll is ever scheduled (refreshWorker still polls on demand). */
    enabled: boolean;
    pollIntervalSeconds: number;
    /** CloudWatch period: 60 needs detailed monitoring, basic monitoring only has 300. */
    metricsPeriodSeconds: number;
    /** The batcher polls once no further worker came due for this long... */
    batchWindowMs: number;
    /** ...or once the first worker of the batch waited this long. */
    batchMaxWaitMs: number;
    /**
     * A worker registered less than this long ago whose instance EC2 answers NotFound for is
     * not yet known to EC2 (eventual consistency), not gone: the poll fails and is retried.
     */
    newInstanceGraceMs: number;
    retentionDays: number;
  };
  jobs: {
    store: { kind: 'mongo'; url: string } | { kind: 'postgres' };
    processEveryMs: number;
    lockLifetimeMs: number;
    /** Poll jobs one process runs at once. */
    concurrency: number;
    /** Poll jobs one process locks at once (0: no limit), so several processes share a cycle. */
    lockLimit: number;
  };
  alerts: {
    /** Consecutive samples above a threshold before CPU_HIGH / MEMORY_HIGH fire. */
    forSamples: number;
    /** Points below the threshold a value must fall to resolve: no flapping around the line. */
    hysteresis: number;
    /** A firing, unacknowledged WARNING or CRITICAL alert is notified again this often; undefined: never. */
    repeatIntervalMs: number | undefined;
    /** CPU below cpuThreshold counts as idle; afterMs undefined: the idle policy is off. */
    idle: { cpuThreshold: number; afterMs: number | undefined; autoStop: boolean };
    autoRemediation: { maxAttemptsPerDay: number } | undefined;
  };
  /** Polling the CML controller of every running worker; enabled false: never asked. */
  cml: {
    enabled: boolean;
    /** Fleet-wide; a worker may carry its own. Undefined: only workers with their own are asked. */
    credentials: CmlCredentials | undefined;
    /** Where a worker's controller is when it has no cmlEndpoint of its own. */
    endpointFrom: 'private-ip' | 'public-ip' | 'public-dns' | 'emulator';
    /** Added to a derived endpoint; undefined: the scheme's default (443). */
    endpointPort: number | undefined;
    tls: { caFile: string | undefined; insecure: boolean };
    timeoutMs: number;
    /** Controllers asked at once per batch. */
    concurrency: number;
    /** Version, readiness and licensing change seldom: asked this often, labs every poll. */
    detailsRefreshMs: number;
    licenseWarningDays: number;
    /** AES-256-GCM key for per-worker credentials; undefined: none can be stored. */
    credentialsKey: Buffer | undefined;
  };
  notifications: {
    webhookUrls: string[];
    webhookSecret: string | undefined;
    pagerDuty: { routingKey: string; eventsUrl: string } | undefined;
    opsgenie: { apiKey: string; apiUrl: string } | undefined;
    email: EmailSettings | undefined;
    source: string;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    publicUrl: string | undefined;
    /**
     * Alerts sharing the `by` labels are one notification per receiver: the first waits waitMs
     * for the rest of its group (0: sent at once), the next ones come at most every intervalMs.
     */
    grouping: { by: GroupLabel[]; waitMs: number; intervalMs: number };
    routes: RouteRule[];
  };
  workerDefaults: {
    amiId: string | undefined;
    instanceType: string;
    subnetId: string | undefined;
    securityGroupIds: string[];
    keyName: string | undefined;
    cpuThreshold: number;
    memoryThreshold: number;
  };
  /**
   * The instances carrying every one of these tags are registered every intervalMs, in every
   * region; undefined (WORKER_AUTO_IMPORT_TAGS unset): nothing is registered on its own.
   */
  autoImport: { tags: { key: string; value: string }[]; intervalMs: number } | undefined;
}

export interface CmlCredentials {
  username: string;
  password: string;
}

/** What the emulator's controllers accept when CML_USERNAME is not set. */
export const EMULATOR_CML_CREDENTIALS: CmlCredentials = {
  username: 'admin',
  password: 'emulator',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the URL itself; `OTEL_EXPORTER_OTLP_ENDPOINT` is a base,
 * to which the signal's path is appended (OTel spec).
 */
function tracesUrl(endpoint: { traces?: string; base?: string }): string | undefined {
  if (endpoint.traces) {
    return new URL(endpoint.traces).href;
  }
  const { base } = endpoint;
  return base ? new URL('v1/traces', base.endsWith('/') ? base : `${base}/`).href : undefined;
}

/** Builds the one configuration object of the process. Throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        if (issue.code === 'custom' && issue.params?.named) {
          // Route problems name their variable and their place in it themselves.
          return issue.message;
        }
        const name = String(issue.path[0]);
        if (issue.code === 'custom' && issue.params?.verbatim) {
          return `${name}: ${issue.message}`;
        }
        return `${name}${describeValue(name, issue.path[1], present[name])}: expected ${describeExpectation(issue)}`;
      }),
    );
  }
  return toConfig(parsed.data);
}

/**
 * Lists name a bad entry by position rather than show it: webhook URLs may embed a token
 * (Slack's do), API_KEYS names its callers, email recipients are people.
 */
const SECRET_LISTS = new Set([
  'WORKER_NOTIFICATION_WEBHOOKS',
  'API_KEYS',
  'CORS_ORIGINS',
  'WORKER_NOTIFICATION_EMAIL_TO',
]);
/** WORKER_NOTIFICATION_EMAIL_SMTP_URL may carry the SMTP account's password. */
const SECRETS = new Set([
  'CML_PASSWORD',
  'CML_CREDENTIALS_KEY',
  'WORKER_NOTIFICATION_OPSGENIE_API_KEY',
  'WORKER_NOTIFICATION_EMAIL_SMTP_URL',
]);

function describeValue(name: string, index: PropertyKey | undefined, value: string | undefined) {
  if (SECRETS.has(name)) {
    return '';
  }
  if (SECRET_LISTS.has(name)) {
    return typeof index === 'number' ? ` (entry ${index + 1})` : '';
  }
  return `=${JSON.stringify(value)}`;
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    return 'a number';
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    return `a number ${issue.message.replace(/^Too (small|big): expected number to be /, '')}`;
  }
  return issue.message;
}

function toConfig(env: Environment): Config {
  const poolSize = env.DATABASE_POOL_SIZE;
  const schema = env.DATABASE_SCHEMA;
  return {
    env: env.NODE_ENV,
    role: env.ROLE,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    metricsToken: env.METRICS_TOKEN,
    buildRevision: env.BUILD_REVISION,
    metricsWorkerGaugesMaxFleet: env.METRICS_WORKER_GAUGES_MAX_FLEET,
    tracing: {
      tracesUrl: tracesUrl({
        traces: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
        base: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      }),
      protocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL,
      serviceName: env.OTEL_SERVICE_NAME,
    },
    auth: {
      apiKeys: env.API_KEYS,
      jwt:
        env.AUTH_JWKS_URL && env.AUTH_ISSUER
          ? {
              jwksUrl: env.AUTH_JWKS_URL,
              issuer: env.AUTH_ISSUER,
              audience: env.AUTH_AUDIENCE,
              rolesClaim: env.AUTH_ROLES_CLAIM,
              clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
            }
          : undefined,
    },
    http: {
      host: env.HOST ?? '127.0.0.1',
      hostSet: env.HOST !== undefined,
      port: env.PORT,
      limits: {
        headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
        maxConnections: env.HTTP_MAX_CONNECTIONS,
        maxConnectionsPerAddress: env.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
      },
    },
    dashboardDir: path.resolve(
      env.DASHBOARD_DIR ?? path.join(findPackageRoot(__dirname), 'dist', 'web'),
    ),
    publicUrl: env.PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
    graphql: {
      introspection: env.GRAPHQL_INTROSPECTION,
      limits: {
        maxDepth: env.GRAPHQL_MAX_DEPTH,
        maxAliases: env.GRAPHQL_MAX_ALIASES,
        maxTokens: env.GRAPHQL_MAX_TOKENS,
        maxCost: env.GRAPHQL_MAX_COST,
        maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      },
      execution: {
        maxExecutionMs: env.GRAPHQL_MAX_EXECUTION_MS,
        maxResponseBytes: env.GRAPHQL_MAX_RESPONSE_BYTES,
      },
      compileAfterRuns: env.GRAPHQL_COMPILE_AFTER_RUNS,
      maxCompiledDocuments: env.GRAPHQL_COMPILED_DOCUMENTS_MAX,
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      mutationRate:
        env.GRAPHQL_MUTATION_RATE_LIMIT > 0
          ? {
              perMinute: env.GRAPHQL_MUTATION_RATE_LIMIT,
              burst: env.GRAPHQL_MUTATION_RATE_BURST ?? env.GRAPHQL_MUTATION_RATE_LIMIT,
            }
          : undefined,
      webSocket: {
        maxPayloadBytes: env.GRAPHQL_WS_MAX_PAYLOAD_BYTES,
        initTimeoutMs: env.GRAPHQL_WS_INIT_TIMEOUT_MS,
        maxSubscriptions: env.GRAPHQL_WS_MAX_SUBSCRIPTIONS,
        maxConnectionsPerCaller: env.GRAPHQL_WS_MAX_CONNECTIONS_PER_CALLER,
      },
      corsOrigins: [...new Set(env.CORS_ORIGINS)],
    },
    database: env.DATABASE_URL
      ? { kind: 'external', url: env.DATABASE_URL, schema, poolSize }
      : {
          kind: 'embedded',
          dataDir: env.EMBEDDED_POSTGRES_DIR,
          port: env.EMBEDDED_POSTGRES_PORT,
          schema,
          poolSize,
        },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : undefined,
    aws:
      env.AWS_MODE === 'aws'
        ? {
            mode: 'aws',
            region: env.AWS_REGION,
            endpoint: env.AWS_ENDPOINT_URL,
            maxAttempts: env.AWS_MAX_ATTEMPTS,
            requestTimeoutMs: env.AWS_REQUEST_TIMEOUT_MS,
          }
        : {
            mode: 'emulator',
            region: env.AWS_REGION,
            maxAttempts: env.AWS_MAX_ATTEMPTS,
            requestTimeoutMs: env.AWS_REQUEST_TIMEOUT_MS,
            emulatorPort: env.EMULATOR_PORT,
            demoFleet: env.EMULATOR_DEMO_FLEET,
          },
    audit: { retentionDays: env.AUDIT_RETENTION_DAYS },
    monitoring: {
      enabled: env.WORKER_MONITORING_ENABLED,
      pollIntervalSeconds: env.WORKER_METRICS_POLL_INTERVAL ?? defaultPollInterval(env),
      metricsPeriodSeconds: env.WORKER_METRICS_PERIOD ?? (env.AWS_MODE === 'emulator' ? 60 : 300),
      batchWindowMs: env.WORKER_POLL_BATCH_WINDOW_MS,
      batchMaxWaitMs: env.WORKER_POLL_BATCH_MAX_WAIT_MS,
      newInstanceGraceMs: env.WORKER_NEW_INSTANCE_GRACE,
      retentionDays: env.METRICS_RETENTION_DAYS,
    },
    jobs: {
      store: env.JOBS_MONGO_URL ? { kind: 'mongo', url: env.JOBS_MONGO_URL } : { kind: 'postgres' },
      processEveryMs: env.JOBS_PROCESS_EVERY_MS,
      lockLifetimeMs: env.JOBS_LOCK_LIFETIME_MS,
      concurrency: env.JOBS_CONCURRENCY,
      lockLimit: env.JOBS_LOCK_LIMIT,
    },
    alerts: {
      forSamples: env.WORKER_ALERT_FOR_SAMPLES,
      hysteresis: env.WORKER_ALERT_HYSTERESIS,
      repeatIntervalMs: env.WORKER_ALERT_REPEAT_INTERVAL || undefined,
      idle: {
        cpuThreshold: env.WORKER_IDLE_CPU_THRESHOLD,
        afterMs: env.WORKER_IDLE_AFTER,
        autoStop: env.WORKER_IDLE_AUTO_STOP,
      },
      autoRemediation: env.WORKER_AUTO_REMEDIATION
        ? { maxAttemptsPerDay: env.WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS }
        : undefined,
    },
    cml: {
      enabled: env.CML_MONITORING,
      credentials:
        env.CML_USERNAME && env.CML_PASSWORD
          ? { username: env.CML_USERNAME, password: env.CML_PASSWORD }
          : env.AWS_MODE === 'emulator'
            ? EMULATOR_CML_CREDENTIALS
            : undefined,
      endpointFrom:
        env.CML_ENDPOINT_FROM ?? (env.AWS_MODE === 'emulator' ? 'emulator' : 'private-ip'),
      endpointPort: env.CML_ENDPOINT_PORT,
      tls: { caFile: env.CML_TLS_CA_FILE, insecure: env.CML_TLS_INSECURE },
      timeoutMs: env.CML_TIMEOUT_MS,
      concurrency: env.CML_CONCURRENCY,
      detailsRefreshMs: env.CML_DETAILS_REFRESH,
      licenseWarningDays: env.CML_LICENSE_WARNING_DAYS,
      credentialsKey: env.CML_CREDENTIALS_KEY,
    },
    notifications: notificationsOf(env),
    workerDefaults: {
      amiId:
        env.WORKER_DEFAULT_AMI_ID ?? (env.AWS_MODE === 'emulator' ? EMULATOR_IMAGE_ID : undefined),
      instanceType: env.WORKER_DEFAULT_INSTANCE_TYPE,
      subnetId: env.WORKER_DEFAULT_SUBNET_ID,
      securityGroupIds: env.WORKER_DEFAULT_SECURITY_GROUP_IDS,
      keyName: env.WORKER_DEFAULT_KEY_NAME,
      cpuThreshold: env.WORKER_CPU_THRESHOLD,
      memoryThreshold: env.WORKER_MEMORY_THRESHOLD,
    },
    autoImport:
      env.WORKER_AUTO_IMPORT_TAGS.length > 0
        ? { tags: env.WORKER_AUTO_IMPORT_TAGS, intervalMs: env.WORKER_AUTO_IMPORT_INTERVAL }
        : undefined,
  };
}

const OPSGENIE_API_URLS = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' };

function notificationsOf(env: Variables): Config['notifications'] {
  const smtpUrl = env.WORKER_NOTIFICATION_EMAIL_SMTP_URL;
  const from = env.WORKER_NOTIFICATION_EMAIL_FROM;
  return {
    webhookUrls: [...new Set(env.WORKER_NOTIFICATION_WEBHOOKS)],
    webhookSecret: env.WORKER_NOTIFICATION_WEBHOOK_SECRET,
    pagerDuty: env.WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY
      ? {
          routingKey: env.WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY,
          eventsUrl: env.WORKER_NOTIFICATION_PAGERDUTY_EVENTS_URL,
        }
      : undefined,
    opsgenie: env.WORKER_NOTIFICATION_OPSGENIE_API_KEY
      ? {
          apiKey: env.WORKER_NOTIFICATION_OPSGENIE_API_KEY,
          apiUrl:
            env.WORKER_NOTIFICATION_OPSGENIE_API_URL ??
            OPSGENIE_API_URLS[env.WORKER_NOTIFICATION_OPSGENIE_REGION],
        }
      : undefined,
    email:
      smtpUrl && from
        ? {
            smtpUrl,
            from,
            to: [...new Set(env.WORKER_NOTIFICATION_EMAIL_TO)],
            tlsCaFile: env.WORKER_NOTIFICATION_EMAIL_TLS_CA_FILE,
            insecure: env.WORKER_NOTIFICATION_EMAIL_INSECURE,
          }
        : undefined,
    source: env.WORKER_NOTIFICATION_SOURCE,
    timeoutMs: env.WORKER_NOTIFICATION_TIMEOUT_MS,
    maxAttempts: env.WORKER_NOTIFICATION_MAX_ATTEMPTS,
    retryBaseMs: env.WORKER_NOTIFICATION_RETRY_BASE_MS,
    publicUrl: env.PUBLIC_URL,
    grouping: {
      by: env.WORKER_NOTIFICATION_GROUP_BY,
      waitMs: env.WORKER_NOTIFICATION_GROUP_WAIT,
      intervalMs: env.WORKER_NOTIFICATION_GROUP_INTERVAL,
    },
    routes: (env.WORKER_NOTIFICATION_ROUTES ?? env.WORKER_NOTIFICATION_ROUTES_FILE)?.rules ?? [],
  };
}

function isPageUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !/[?#]/.test(text);
  } catch {
    return false;
  }
}

function isSmtpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Checked at boot: a CA file that cannot be read would fail every delivery, unseen until then. */
function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The demo fleet is polled often, so a newcomer sees live data within seconds. */
function defaultPollInterval(env: Environment): number {
  return env.AWS_MODE === 'emulator' && env.EMULATOR_DEMO_FLEET ? 15 : 300;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function toMilliseconds(text: string): number {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text) ?? [];
  return Math.round(Number(amount) * UNIT_MS[unit ?? 's']);
}
