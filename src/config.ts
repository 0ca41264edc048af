import { z } from 'zod';
import { EMULATOR_IMAGE_ID } from './emulator/fleet.state';

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
const url = (protocols: string[]) =>
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
    )
    .optional();
const commaSeparated = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const AMI_ID_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: listenPort.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

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
  EMULATOR_PORT: listenPort.default(0),
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
  WORKER_METRICS_POLL_INTERVAL: z.coerce.number().int().min(10).max(86400).default(300),
  WORKER_CPU_THRESHOLD: percent.default(90),
  WORKER_MEMORY_THRESHOLD: percent.default(90),
});

type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  env: Environment['NODE_ENV'];
  http: { host: string; port: number };
  logLevel: Environment['LOG_LEVEL'];
  database:
    | { kind: 'external'; url: string; schema: string; poolSize: number }
    | { kind: 'embedded'; dataDir: string; port: number; schema: string; poolSize: number };
  redis: { url: string; keyPrefix: string } | undefined;
  aws:
    | { mode: 'aws'; region: string; endpoint: string | undefined; maxAttempts: number }
    | {
        mode: 'emulator';
        region: string;
        maxAttempts: number;
        emulatorPort: number;
        demoFleet: boolean;
      };
  monitoring: { pollIntervalSeconds: number };
  workerDefaults: {
    amiId: string | undefined;
    instanceType: string;
    subnetId: string | undefined;
    securityGroupIds: string[];
    keyName: string | undefined;
    monitoringEnabled: boolean;
    cpuThreshold: number;
    memoryThreshold: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
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
        const name = issue.path.join('.');
        return `${name}=${JSON.stringify(present[name])}: expected ${describeExpectation(issue)}`;
      }),
    );
  }
  return toConfig(parsed.data);
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
    http: { host: env.HOST, port: env.PORT },
    logLevel: env.LOG_LEVEL,
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
          }
        : {
            mode: 'emulator',
            region: env.AWS_REGION,
            maxAttempts: env.AWS_MAX_ATTEMPTS,
            emulatorPort: env.EMULATOR_PORT,
            demoFleet: env.EMULATOR_DEMO_FLEET,
          },
    monitoring: { pollIntervalSeconds: env.WORKER_METRICS_POLL_INTERVAL },
    workerDefaults: {
      amiId:
        env.WORKER_DEFAULT_AMI_ID ?? (env.AWS_MODE === 'emulator' ? EMULATOR_IMAGE_ID : undefined),
      instanceType: env.WORKER_DEFAULT_INSTANCE_TYPE,
      subnetId: env.WORKER_DEFAULT_SUBNET_ID,
      securityGroupIds: env.WORKER_DEFAULT_SECURITY_GROUP_IDS,
      keyName: env.WORKER_DEFAULT_KEY_NAME,
      monitoringEnabled: env.WORKER_MONITORING_ENABLED,
      cpuThreshold: env.WORKER_CPU_THRESHOLD,
      memoryThreshold: env.WORKER_MEMORY_THRESHOLD,
    },
  };
}
