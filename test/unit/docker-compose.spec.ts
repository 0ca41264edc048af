import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig, type Config } from '../../src/config';

const COMPOSE_FILE = path.join(__dirname, '..', '..', 'docker-compose.yml');
/** Read by the AWS SDK's credential chain rather than by the service's configuration. */
const SDK_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const STORE_URLS = ['AWS_ENDPOINT_URL', 'DATABASE_URL', 'REDIS_URL', 'JOBS_MONGO_URL'];

interface ComposeService {
  profiles?: string[];
  restart?: string;
  ports?: (string | { host_ip?: string })[];
  depends_on?: Record<string, { condition?: string }>;
  environment?: Record<string, string | number | boolean>;
  stop_grace_period?: string;
  healthcheck?: unknown;
}
interface Compose {
  services: Record<string, ComposeService>;
}

function readCompose(): Compose {
  // Compose resolves YAML merge keys (`<<: *anchor`); the file relies on them.
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as Compose;
}

/** Compose's `${NAME}`, `${NAME-default}` and `${NAME:-default}` against the caller's environment. */
function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?:(:?-)([^}]*))?\}/g,
    (_match, name: string, operator: string | undefined, fallback: string) => {
      const set = host[name];
      if (operator === ':-') {
        return set ? set : fallback;
      }
      return set ?? (operator === '-' ? fallback : '');
    },
  );
}

/** The environment a service's container gets, given the one `docker compose` runs in. */
function environmentOf(service: ComposeService, host: Record<string, string> = {}) {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      interpolate(String(value), host),
    ]),
  );
}

const enabledUnder = (compose: Compose, profile: string) =>
  Object.entries(compose.services).filter(([, s]) => s.profiles?.includes(profile));

const isApp = (service: ComposeService) => service.environment?.ROLE !== undefined;

function seconds(duration: string | undefined): number {
  const [, amount, unit] = /^(\d+)(s|m)?$/.exec(duration ?? '10s') ?? [];
  return Number(amount) * (unit === 'm' ? 60 : 1);
}

function serviceProblems(name: string, service: ComposeService): string[] {
  const problems: string[] = [];
  if (service.restart !== 'unless-stopped') {
    problems.push(`${name}: restart must be unless-stopped`);
  }
  if (!service.profiles?.length) {
    problems.push(`${name}: has no profile, so it would start under every one`);
  }
  for (const port of service.ports ?? []) {
    const loopback =
      typeof port === 'string' ? port.startsWith('127.0.0.1:') : port.host_ip === '127.0.0.1';
    if (!loopback) {
      problems.push(`${name}: port ${JSON.stringify(port)} is published beyond 127.0.0.1`);
    }
  }
  return problems;
}

function appProblems(compose: Compose, name: string, service: ComposeService): string[] {
  const environment = environmentOf(service);
  const known = new Set([...CONFIG_VARIABLES, ...SDK_VARIABLES]);
  const problems = Object.keys(environment)
    .filter((variable) => !known.has(variable))
    .map((variable) => `${name}: ${variable} is no variable the service knows`);
  let config: Config;
  try {
    config = loadConfig(environment);
  } catch (error) {
    return [...problems, `${name}: ${(error as Error).message}`];
  }
  if (seconds(service.stop_grace_period) <= config.shutdownTimeoutMs / 1000) {
    problems.push(`${name}: stop_grace_period must exceed SHUTDOWN_TIMEOUT_MS`);
  }
  // Every store it is pointed at starts in each of its profiles, and healthy before it.
  for (const variable of STORE_URLS.filter((v) => environment[v])) {
    const host = new URL(environment[variable] ?? '').hostname;
    const store = compose.services[host];
    if (service.depends_on?.[host]?.condition !== 'service_healthy') {
      problems.push(`${name}: ${variable} names ${host}, which it does not wait for`);
    }
    for (const profile of service.profiles ?? []) {
      if (!store?.profiles?.includes(profile)) {
        problems.push(`${name}: ${variable} names ${host}, which the ${profile} profile lacks`);
      }
    }
  }
  return problems;
}

/** Each profile runs exactly one api and one worker, and everything they depend on. */
function profileProblems(compose: Compose): string[] {
  const profiles = new Set(Object.values(compose.services).flatMap((s) => s.profiles ?? []));
  return [...profiles].flatMap((profile) => {
    const enabled = enabledUnder(compose, profile);
    const names = new Set(enabled.map(([name]) => name));
    const roles = enabled
      .filter(([, s]) => isApp(s))
      .map(([, s]) => String(s.environment?.ROLE))
      .sort();
    const problems =
      roles.join() === 'api,worker'
        ? []
        : [`profile ${profile}: one api and one worker, not ${roles.join() || 'none'}`];
    for (const [name, service] of enabled) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        if (!names.has(dependency)) {
          problems.push(`profile ${profile}: ${name} depends on ${dependency}, not in the profile`);
        }
      }
    }
    return problems;
  });
}

function problemsOf(compose: Compose): string[] {
  return [
    ...Object.entries(compose.services).flatMap(([name, s]) => serviceProblems(name, s)),
    ...Object.entries(compose.services)
      .filter(([, s]) => isApp(s))
      .flatMap(([name, s]) => appProblems(compose, name, s)),
    ...profileProblems(compose),
  ];
}

function configUnder(profile: string, role: string, host: Record<string, string> = {}) {
  const [, service] =
    enabledUnder(readCompose(), profile).find(([, s]) => s.environment?.ROLE === role) ?? [];
  if (!service) {
    throw new Error(`no ${role} under the ${profile} profile`);
  }
  return {
    config: loadConfig(environmentOf(service, host)),
    environment: environmentOf(service, host),
  };
}

describe('docker-compose.yml', () => {
  it('should hold every invariant: loopback ports, restarts, profiles, configurations that boot', () => {
    expect(problemsOf(readCompose())).toEqual([]);
  });

  it('should run the emulator profile against the emulator, with its demo credentials', () => {
    for (const role of ['api', 'worker']) {
      const { config } = configUnder('emulator', role);
      expect(config.aws).toMatchObject({ mode: 'aws', endpoint: 'http://emulator:4566' });
      expect(config.cml.endpointFrom).toBe('emulator');
    }
    expect(readCompose().services.emulator?.profiles).toEqual(['emulator']);
  });

  it('should run the aws profile against real AWS, with the credentials of the environment', () => {
    const host = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
    for (const role of ['api', 'worker']) {
      const { config, environment } = configUnder('aws', role, host);
      expect(config.aws).toMatchObject({ mode: 'aws', endpoint: undefined });
      expect(config.cml.endpointFrom).toBe('private-ip');
      expect(environment).toMatchObject(host);
    }
    // Without them, empty values: the SDK's chain goes on to the instance role.
    expect(configUnder('aws', 'worker').environment.AWS_ACCESS_KEY_ID).toBe('');
  });

  it('should keep port 4000 on loopback while authentication is off by default', () => {
    const { config } = configUnder('emulator', 'api');
    expect(config.auth.apiKeys).toEqual([]);
    expect(readCompose().services.api?.ports).toEqual(['127.0.0.1:4000:4000']);
  });

  describe('the invariant checks, on broken copies', () => {
    const service = (compose: Compose, name: string): ComposeService => {
      const found = compose.services[name];
      if (!found) {
        throw new Error(`no service ${name}`);
      }
      return found;
    };
    const dependencies = (compose: Compose, name: string) =>
      service(compose, name).depends_on ?? {};
    const environment = (compose: Compose, name: string) =>
      (service(compose, name).environment ??= {});

    it.each<[string, (compose: Compose) => void, string]>([
      [
        'a port published on every address',
        (c) => (service(c, 'emulator').ports = ['4566:4566']),
        'emulator: port "4566:4566" is published beyond 127.0.0.1',
      ],
      [
        'a service without its restart policy',
        (c) => delete service(c, 'redis').restart,
        'redis: restart must be unless-stopped',
      ],
      [
        'an emulator without its profile',
        (c) => delete service(c, 'emulator').profiles,
        'emulator: has no profile',
      ],
      [
        'the aws profile depending on the emulator',
        (c) => (service(c, 'api-aws').depends_on = { emulator: { condition: 'service_healthy' } }),
        'profile aws: api-aws depends on emulator, not in the profile',
      ],
      [
        'an api that does not wait for its database',
        (c) => delete dependencies(c, 'api-aws').postgres,
        'api-aws: DATABASE_URL names postgres, which it does not wait for',
      ],
      [
        'a shutdown deadline past the grace period',
        (c) => (environment(c, 'worker').SHUTDOWN_TIMEOUT_MS = 30000),
        'worker: stop_grace_period must exceed SHUTDOWN_TIMEOUT_MS',
      ],
      [
        'a variable the service does not know',
        (c) => (environment(c, 'worker').WORKER_POLL_INTERVAL = 15),
        'worker: WORKER_POLL_INTERVAL is no variable the service knows',
      ],
      [
        'a second worker in a profile',
        (c) => (service(c, 'worker-aws').profiles = ['aws', 'emulator']),
        'profile emulator: one api and one worker, not api,worker,worker',
      ],
    ])('should catch %s', (_case, breakIt, problem) => {
      const compose = readCompose();
      breakIt(compose);
      expect(problemsOf(compose)).toContainEqual(expect.stringContaining(problem));
    });
  });
});
