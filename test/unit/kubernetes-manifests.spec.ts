import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, loadConfig, type Config } from '../../src/config';
import { dataOf, renderKustomization, type KubernetesObject } from '../support/kustomize';

const KUBERNETES = path.join(__dirname, '..', '..', 'deploy', 'kubernetes');
const PRODUCTION = path.join(KUBERNETES, 'overlays', 'production');
const EMULATOR = path.join(KUBERNETES, 'overlays', 'emulator');
/** The production Secret's file stays out of git: its example stands in for it. */
const PRODUCTION_FILES = {
  [path.join(PRODUCTION, 'secret.env')]: readFileSync(
    path.join(PRODUCTION, 'secret.env.example'),
    'utf8',
  ),
};
/** The container of the service's image in both roles' Deployments. */
const SERVICE_CONTAINER = 'cml-worker-monitor';
/** Read by Node and the AWS SDK rather than by the service's configuration. */
const OTHER_VARIABLES = ['NODE_OPTIONS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
/** Seconds the kubelet must still wait once the service's own shutdown deadline has passed. */
const GRACE_MARGIN_SECONDS = 5;

type Json = Record<string, unknown>;
type Labels = Record<string, string>;
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: Labels; limits?: Labels };
  securityContext?: Json & { capabilities?: { drop?: string[] } };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: Json & { seccompProfile?: { type: string } };
  topologySpreadConstraints?: { labelSelector: { matchLabels: Labels } }[];
  volumes?: Json[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}
interface Workload extends KubernetesObject {
  spec: {
    selector: { matchLabels: Labels };
    template: { metadata: { labels: Labels }; spec: PodSpec };
  };
}
interface Service extends KubernetesObject {
  spec: { selector: Labels; ports: { name: string; port: number; targetPort: string | number }[] };
}
interface ServiceMonitor extends KubernetesObject {
  spec: {
    selector?: { matchLabels?: Labels };
    endpoints?: {
      port?: unknown;
      path?: unknown;
      authorization?: { type?: string; credentials?: { name?: string; key?: string } };
    }[];
  };
}

const REPOSITORY = path.join(__dirname, '..', '..');
/**
 * kubernetes-models ships ES modules only, which jest's module loader cannot load: Node itself
 * validates each object with the model of its apiVersion and kind, and prints the errors.
 */
const VALIDATE_SCRIPT = `
import { readFileSync } from 'node:fs';
const results = [];
for (const object of JSON.parse(readFileSync(0, 'utf8'))) {
  let model;
  try {
    model = (await import(\`kubernetes-models/\${object.apiVersion}/\${object.kind}\`))[object.kind];
  } catch {
    results.push('no model of ' + object.apiVersion);
    continue;
  }
  try {
    new model(object).validate();
    results.push(null);
  } catch (error) {
    results.push(error.message);
  }
}
process.stdout.write(JSON.stringify(results));
`;

function validateWithModels(objects: KubernetesObject[]): (string | null)[] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', VALIDATE_SCRIPT], {
    cwd: REPOSITORY,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(output) as (string | null)[];
}

/** Every object against its OpenAPI schema; the ServiceMonitor, a custom resource, by hand. */
function schemaProblems(objects: KubernetesObject[]): string[] {
  const isServiceMonitor = (o: KubernetesObject) =>
    o.apiVersion === 'monitoring.coreos.com/v1' && o.kind === 'ServiceMonitor';
  const builtIn = objects.filter((o) => !isServiceMonitor(o));
  const results = validateWithModels(builtIn);
  return [
    ...builtIn.flatMap((o, index) => {
      const result = results[index];
      return result ? [`${o.kind} ${o.metadata.name}: ${result}`] : [];
    }),
    ...objects
      .filter(isServiceMonitor)
      .flatMap((o) =>
        serviceMonitorShapeProblems(o as ServiceMonitor).map(
          (p) => `${o.kind} ${o.metadata.name}: ${p}`,
        ),
      ),
  ];
}

/** The fields of monitoring.coreos.com/v1 ServiceMonitor these manifests use, with their types. */
function serviceMonitorShapeProblems({ metadata, spec }: ServiceMonitor): string[] {
  const problems: string[] = [];
  if (!metadata.name) {
    problems.push('metadata.name is required');
  }
  if (!isLabels(spec.selector?.matchLabels)) {
    problems.push('spec.selector.matchLabels must map label names to strings');
  }
  const endpoints = spec.endpoints ?? [];
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    problems.push('spec.endpoints must list at least one endpoint');
  }
  endpoints.forEach((endpoint, index) => {
    if (typeof endpoint.port !== 'string' || endpoint.port === '') {
      problems.push(`spec.endpoints[${index}].port must name a Service port`);
    }
    if (typeof endpoint.path !== 'string' || !endpoint.path.startsWith('/')) {
      problems.push(`spec.endpoints[${index}].path must be an absolute path`);
    }
    const { authorization } = endpoint;
    if (
      authorization &&
      (authorization.type !== 'Bearer' ||
        typeof authorization.credentials?.name !== 'string' ||
        typeof authorization.credentials.key !== 'string')
    ) {
      problems.push(`spec.endpoints[${index}].authorization must be Bearer with a secret key`);
    }
  });
  return problems;
}

function isLabels(value: unknown): value is Labels {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

const selects = (selector: Labels, labels: Labels) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const ofKind = <T extends KubernetesObject>(objects: KubernetesObject[], kind: string) =>
  objects.filter((object) => object.kind === kind) as T[];

function serviceDeployments(objects: KubernetesObject[]): Workload[] {
  return ofKind<Workload>(objects, 'Deployment').filter((d) =>
    d.spec.template.spec.containers.some((c) => c.name === SERVICE_CONTAINER),
  );
}

function serviceContainer(deployment: Workload): Container {
  return deployment.spec.template.spec.containers.find(
    (c) => c.name === SERVICE_CONTAINER,
  ) as Container;
}

/** The environment the container starts with, as the kubelet builds it, and what it lacks. */
function environmentOf(objects: KubernetesObject[], container: Container) {
  const missing: string[] = [];
  const sources = (container.envFrom ?? []).map((source) => {
    const [kind, name] = source.configMapRef
      ? ['ConfigMap', source.configMapRef.name]
      : ['Secret', source.secretRef?.name ?? ''];
    const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!object) {
      missing.push(`${kind} ${name}`);
    }
    return object ? dataOf(object) : {};
  });
  const own = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
  return { environment: Object.assign({}, ...sources, own) as Record<string, string>, missing };
}

function roleOf(objects: KubernetesObject[], deployment: Workload): string | undefined {
  return environmentOf(objects, serviceContainer(deployment)).environment.ROLE;
}

function configOf(objects: KubernetesObject[], deployment: Workload): Config {
  return loadConfig(environmentOf(objects, serviceContainer(deployment)).environment);
}

function deploymentProblems(objects: KubernetesObject[], deployment: Workload): string[] {
  const id = `Deployment ${deployment.metadata.name}`;
  const pod = deployment.spec.template.spec;
  const container = serviceContainer(deployment);
  const { environment, missing } = environmentOf(objects, container);
  const problems = missing.map((source) => `${id}: reads the missing ${source}`);
  const known = new Set([...CONFIG_VARIABLES, ...OTHER_VARIABLES]);
  for (const name of Object.keys(environment).filter((n) => !known.has(n))) {
    problems.push(`${id}: ${name} is no variable the service knows`);
  }
  let config: Config;
  try {
    config = loadConfig(environment);
  } catch (error) {
    return [...problems, `${id}: ${(error as Error).message}`];
  }
  const http = container.ports?.find((p) => p.name === 'http');
  if (http?.containerPort !== config.http.port || config.http.host !== '0.0.0.0') {
    problems.push(`${id}: the port named http is not where the service listens`);
  }
  const expectedProbes = [
    ['startupProbe', '/healthz'],
    ['livenessProbe', '/healthz'],
    ['readinessProbe', '/readyz'],
  ] as const;
  for (const [probe, probePath] of expectedProbes) {
    const get = container[probe]?.httpGet;
    const port =
      typeof get?.port === 'string'
        ? container.ports?.find((p) => p.name === get.port)?.containerPort
        : get?.port;
    if (get?.path !== probePath || port !== config.http.port) {
      problems.push(`${id}: ${probe} must GET ${probePath} on port ${config.http.port}`);
    }
  }
  const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const needed = preStopSeconds + Math.ceil(config.shutdownTimeoutMs / 1000) + GRACE_MARGIN_SECONDS;
  if ((pod.terminationGracePeriodSeconds ?? 30) < needed) {
    problems.push(`${id}: terminationGracePeriodSeconds must be at least ${needed}`);
  }
  const runAsUser = pod.securityContext?.runAsUser;
  if (
    pod.securityContext?.runAsNonRoot !== true ||
    typeof runAsUser !== 'number' ||
    runAsUser === 0
  ) {
    problems.push(`${id}: the pod must run as a numeric non-root user`);
  }
  if (container.securityContext?.readOnlyRootFilesystem !== true) {
    problems.push(`${id}: the root filesystem must be read-only`);
  }
  const { requests, limits } = container.resources ?? {};
  if (!requests?.cpu || !requests.memory || !limits?.memory) {
    problems.push(`${id}: CPU and memory requests and a memory limit are required`);
  }
  const labels = deployment.spec.template.metadata.labels;
  const spreads = pod.topologySpreadConstraints ?? [];
  if (
    ![deployment.spec.selector, ...spreads.map((s) => s.labelSelector)].every((s) =>
      selects(s.matchLabels, labels),
    )
  ) {
    problems.push(`${id}: a selector does not match its own pods`);
  }
  return problems;
}

function rolesProblems(objects: KubernetesObject[]): string[] {
  const roles = serviceDeployments(objects)
    .map((d) => roleOf(objects, d))
    .sort();
  return roles.join() === 'api,worker'
    ? []
    : [`one Deployment per role, api and worker: got ${roles.join() || 'none'}`];
}

/** Each role's pods under one PodDisruptionBudget of their own. */
function disruptionBudgetProblems(objects: KubernetesObject[]): string[] {
  const budgets = ofKind<Workload>(objects, 'PodDisruptionBudget');
  const deployments = ofKind<Workload>(objects, 'Deployment');
  const problems = budgets
    .filter(
      (b) =>
        deployments.filter((d) =>
          selects(b.spec.selector.matchLabels, d.spec.template.metadata.labels),
        ).length !== 1,
    )
    .map(
      (b) =>
        `PodDisruptionBudget ${b.metadata.name} must select the pods of exactly one Deployment`,
    );
  for (const d of serviceDeployments(objects)) {
    if (
      !budgets.some((b) => selects(b.spec.selector.matchLabels, d.spec.template.metadata.labels))
    ) {
      problems.push(`Deployment ${d.metadata.name} has no PodDisruptionBudget`);
    }
  }
  return problems;
}

/** Every Service reaches the pods of one Deployment, on ports they have; each role has one. */
function serviceProblems(objects: KubernetesObject[]): string[] {
  const deployments = ofKind<Workload>(objects, 'Deployment');
  const problems: string[] = [];
  const reached = new Set<Workload>();
  for (const service of ofKind<Service>(objects, 'Service')) {
    const targets = deployments.filter((d) =>
      selects(service.spec.selector, d.spec.template.metadata.labels),
    );
    const [target] = targets;
    if (targets.length !== 1 || !target) {
      problems.push(
        `Service ${service.metadata.name} must select the pods of exactly one Deployment`,
      );
      continue;
    }
    reached.add(target);
    const ports = target.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
    for (const { name, targetPort } of service.spec.ports) {
      if (!ports.some((p) => p.name === targetPort || p.containerPort === targetPort)) {
        problems.push(`Service ${service.metadata.name}: port ${name} targets no port of its pods`);
      }
    }
  }
  for (const d of serviceDeployments(objects).filter((d) => !reached.has(d))) {
    problems.push(`Deployment ${d.metadata.name} has no Service`);
  }
  return problems;
}

/** The ServiceMonitor scrapes both roles, on a port their Services name, with the token if any. */
function serviceMonitorProblems(objects: KubernetesObject[]): string[] {
  const services = ofKind<Service>(objects, 'Service');
  const metricsToken = serviceDeployments(objects).some(
    (d) => environmentOf(objects, serviceContainer(d)).environment.METRICS_TOKEN,
  );
  return ofKind<ServiceMonitor>(objects, 'ServiceMonitor').flatMap((monitor) => {
    const id = `ServiceMonitor ${monitor.metadata.name}`;
    const selected = services.filter((s) =>
      selects(monitor.spec.selector?.matchLabels ?? {}, s.metadata.labels ?? {}),
    );
    const problems: string[] = [];
    for (const d of serviceDeployments(objects)) {
      if (!selected.some((s) => selects(s.spec.selector, d.spec.template.metadata.labels))) {
        problems.push(`${id}: selects no Service of ${d.metadata.name}`);
      }
    }
    for (const endpoint of monitor.spec.endpoints ?? []) {
      for (const service of selected.filter(
        (s) => !s.spec.ports.some((p) => p.name === endpoint.port),
      )) {
        problems.push(
          `${id}: Service ${service.metadata.name} has no port named ${String(endpoint.port)}`,
        );
      }
      if (endpoint.path !== '/metrics') {
        problems.push(`${id}: the service serves its metrics at /metrics`);
      }
      const credentials = endpoint.authorization?.credentials;
      if (metricsToken && !credentials) {
        problems.push(`${id}: METRICS_TOKEN is set, so scrapes need its authorization`);
      }
      const secret = objects.find(
        (o) => o.kind === 'Secret' && o.metadata.name === credentials?.name,
      );
      if (credentials && !(secret && credentials.key && dataOf(secret)[credentials.key])) {
        problems.push(`${id}: its token is in no Secret of the render`);
      }
    }
    return problems;
  });
}

/** What Pod Security's `restricted` level admits, for every pod of a namespace enforcing it. */
function podSecurityProblems(objects: KubernetesObject[]): string[] {
  const restricted = new Set(
    ofKind(objects, 'Namespace')
      .filter((n) => n.metadata.labels?.['pod-security.kubernetes.io/enforce'] === 'restricted')
      .map((n) => n.metadata.name),
  );
  return ofKind<Workload>(objects, 'Deployment')
    .filter((d) => restricted.has(d.metadata.namespace ?? ''))
    .flatMap((d) => {
      const pod = d.spec.template.spec;
      const problems: string[] = [];
      if (
        pod.hostNetwork ||
        pod.hostPID ||
        pod.hostIPC ||
        pod.volumes?.some((v) => 'hostPath' in v)
      ) {
        problems.push('uses the host');
      }
      if (
        !['RuntimeDefault', 'Localhost'].includes(pod.securityContext?.seccompProfile?.type ?? '')
      ) {
        problems.push('has no seccomp profile');
      }
      for (const c of pod.containers) {
        const context = c.securityContext ?? {};
        if (pod.securityContext?.runAsNonRoot !== true && context.runAsNonRoot !== true) {
          problems.push(`${c.name} may run as root`);
        }
        if (context.allowPrivilegeEscalation !== false || context.privileged === true) {
          problems.push(`${c.name} may escalate privileges`);
        }
        if (!context.capabilities?.drop?.includes('ALL')) {
          problems.push(`${c.name} keeps capabilities`);
        }
      }
      return problems.map((p) => `Deployment ${d.metadata.name} (restricted namespace): ${p}`);
    });
}

/** A short host name in a URL the service is given must be a Service of the render. */
function clusterAddressProblems(objects: KubernetesObject[]): string[] {
  const services = ofKind<Service>(objects, 'Service');
  return serviceDeployments(objects).flatMap((d) => {
    const { environment } = environmentOf(objects, serviceContainer(d));
    return ['AWS_ENDPOINT_URL', 'DATABASE_URL', 'REDIS_URL', 'JOBS_MONGO_URL']
      .filter((name) => environment[name])
      .map((name) => [name, new URL(environment[name] ?? '')] as const)
      .filter(([, url]) => !url.hostname.includes('.'))
      .filter(
        ([, url]) =>
          !services.some(
            (s) =>
              s.metadata.name === url.hostname &&
              s.spec.ports.some((p) => String(p.port) === url.port),
          ),
      )
      .map(
        ([name, url]) =>
          `Deployment ${d.metadata.name}: ${name} names ${url.host}, no Service here`,
      );
  });
}

function namespaceProblems(objects: KubernetesObject[]): string[] {
  const namespaces = ofKind(objects, 'Namespace').map((n) => n.metadata.name);
  return objects
    .filter((o) => o.kind !== 'Namespace' && !namespaces.includes(o.metadata.namespace ?? ''))
    .map((o) => `${o.kind} ${o.metadata.name} is outside the Namespace of the render`);
}

function problemsOf(objects: KubernetesObject[]): string[] {
  return [
    ...rolesProblems(objects),
    ...serviceDeployments(objects).flatMap((d) => deploymentProblems(objects, d)),
    ...disruptionBudgetProblems(objects),
    ...serviceProblems(objects),
    ...serviceMonitorProblems(objects),
    ...podSecurityProblems(objects),
    ...clusterAddressProblems(objects),
    ...namespaceProblems(objects),
  ];
}

const renderProduction = () => renderKustomization(PRODUCTION, { files: PRODUCTION_FILES });
const renderEmulator = () => renderKustomization(EMULATOR);

function find<T extends KubernetesObject>(
  objects: KubernetesObject[],
  kind: string,
  name: string,
): T {
  const object = objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
  if (!object) {
    throw new Error(`no ${kind} ${name} in the render`);
  }
  return object as T;
}

describe('deploy/kubernetes', () => {
  describe.each([
    ['production', renderProduction],
    ['emulator', renderEmulator],
  ])('overlays/%s', (_name, render) => {
    it('should render objects that Kubernetes accepts', () => {
      const objects = render();
      expect(objects.length).toBeGreaterThan(0);
      expect(schemaProblems(objects)).toEqual([]);
    });

    it('should hold every invariant of the deployment', () => {
      expect(problemsOf(render())).toEqual([]);
    });
  });

  it('should run production on real AWS, authenticated, with its image, replicas and IAM role', () => {
    const objects = renderProduction();
    for (const deployment of serviceDeployments(objects)) {
      const config = configOf(objects, deployment);
      expect(config.aws).toMatchObject({ mode: 'aws', endpoint: undefined });
      expect(config.auth.apiKeys.length).toBeGreaterThan(0);
      expect(config.metricsToken).toBeDefined();
      expect(deployment.spec).toMatchObject({ replicas: 2 });
      expect(serviceContainer(deployment).image).toBe(
        'registry.example.com/cml-worker-monitor:0.1.0',
      );
    }
    expect(
      find(objects, 'ServiceAccount', 'cml-worker-monitor').metadata.annotations,
    ).toHaveProperty(['eks.amazonaws.com/role-arn']);
    expect(objects.some((o) => o.metadata.name === 'emulator')).toBe(false);
  });

  it('should refuse to build production without its secret.env', () => {
    expect(() => renderKustomization(PRODUCTION)).toThrow(/secret\.env/);
  });

  it('should point the emulator overlay at the emulator, for AWS and for CML', () => {
    const objects = renderEmulator();
    for (const deployment of serviceDeployments(objects)) {
      const config = configOf(objects, deployment);
      expect(config.aws).toMatchObject({ mode: 'aws', endpoint: 'http://emulator:4566' });
      expect(config.cml.endpointFrom).toBe('emulator');
      expect(serviceContainer(deployment).image).toBe('cml-worker-monitor:dev');
    }
    const emulator = find<Workload>(objects, 'Deployment', 'emulator');
    expect(emulator.spec.template.spec.containers[0]?.image).toBe('cml-worker-monitor:dev');
  });

  it('should roll both roles when a setting changes: the ConfigMap is named by its content', () => {
    const configEnv = path.join(KUBERNETES, 'base', 'config.env');
    const changed = `${readFileSync(configEnv, 'utf8')}LOG_LEVEL=debug\n`;
    const before = renderEmulator();
    const after = renderKustomization(EMULATOR, { files: { [configEnv]: changed } });
    const configMapName = (objects: KubernetesObject[]) =>
      find(objects, 'ConfigMap', 'cml-worker-monitor').metadata.name;
    expect(configMapName(after)).not.toBe(configMapName(before));
    expect(configMapName(before)).toMatch(/^cml-worker-monitor-[a-z0-9]{10}$/);
    for (const deployment of serviceDeployments(after)) {
      expect(serviceContainer(deployment).envFrom).toContainEqual({
        configMapRef: { name: configMapName(after) },
      });
    }
  });

  it('should take the schema checks to fail on a broken object', () => {
    const objects = renderProduction();
    const deployment = structuredClone(
      find<Workload>(objects, 'Deployment', 'cml-worker-monitor-api'),
    );
    delete (deployment.spec as Partial<Workload['spec']>).selector;
    const monitor = structuredClone(
      find<ServiceMonitor>(objects, 'ServiceMonitor', 'cml-worker-monitor'),
    );
    monitor.spec.endpoints = [{ port: 4000, path: 'metrics' }];
    expect(schemaProblems([deployment, monitor])).toEqual([
      expect.stringContaining('must have required property selector'),
      expect.stringContaining('port must name a Service port'),
      expect.stringContaining('path must be an absolute path'),
    ]);
  });

  describe('the invariant checks, on broken copies', () => {
    const api = (objects: KubernetesObject[]) =>
      find<Workload>(objects, 'Deployment', 'cml-worker-monitor-api');
    const worker = (objects: KubernetesObject[]) =>
      find<Workload>(objects, 'Deployment', 'cml-worker-monitor-worker');
    const firstEndpoint = (objects: KubernetesObject[]) => {
      const [endpoint] =
        find<ServiceMonitor>(objects, 'ServiceMonitor', 'cml-worker-monitor').spec.endpoints ?? [];
      if (!endpoint) {
        throw new Error('the ServiceMonitor has no endpoint');
      }
      return endpoint;
    };
    const configMap = (objects: KubernetesObject[]) =>
      find(objects, 'ConfigMap', 'cml-worker-monitor').data as Labels;

    it.each<[string, (objects: KubernetesObject[]) => void, string]>([
      [
        'a grace period under the shutdown deadline',
        (o) => (api(o).spec.template.spec.terminationGracePeriodSeconds = 30),
        'terminationGracePeriodSeconds must be at least 35',
      ],
      [
        'a longer shutdown deadline than the grace period',
        (o) => (configMap(o).SHUTDOWN_TIMEOUT_MS = '60000'),
        'terminationGracePeriodSeconds must be at least 65',
      ],
      [
        'readiness asked of /healthz',
        (o) =>
          (serviceContainer(worker(o)).readinessProbe = {
            httpGet: { path: '/healthz', port: 'http' },
          }),
        'readinessProbe must GET /readyz on port 4000',
      ],
      [
        'a probe on another port than the service’s',
        (o) =>
          (serviceContainer(api(o)).livenessProbe = { httpGet: { path: '/healthz', port: 8080 } }),
        'livenessProbe must GET /healthz on port 4000',
      ],
      [
        'a variable the service does not know',
        (o) => (configMap(o).SHUTDOWN_TIMEOUT = '25000'),
        'SHUTDOWN_TIMEOUT is no variable the service knows',
      ],
      [
        'a value the service refuses',
        (o) => (configMap(o).AWS_MODE = 'localstack'),
        'AWS_MODE="localstack": expected one of emulator, aws',
      ],
      [
        'a worker without Redis',
        (o) => {
          const secret = find(o, 'Secret', 'cml-worker-monitor');
          delete (secret.data as Labels).REDIS_URL;
        },
        'all, unless DATABASE_URL and REDIS_URL are set',
      ],
      [
        'two Deployments of the same role',
        (o) => (serviceContainer(worker(o)).env = [{ name: 'ROLE', value: 'api' }]),
        'one Deployment per role, api and worker: got api,api',
      ],
      [
        'a budget that misses its pods',
        (o) => {
          const budget = find<Workload>(o, 'PodDisruptionBudget', 'cml-worker-monitor-worker');
          budget.spec.selector.matchLabels['app.kubernetes.io/component'] = 'workers';
        },
        'Deployment cml-worker-monitor-worker has no PodDisruptionBudget',
      ],
      [
        'the api Service selecting the workers too',
        (o) =>
          delete find<Service>(o, 'Service', 'cml-worker-monitor-api').spec.selector[
            'app.kubernetes.io/component'
          ],
        'Service cml-worker-monitor-api must select the pods of exactly one Deployment',
      ],
      [
        'a Service port targeting no container port',
        (o) =>
          (find<Service>(o, 'Service', 'cml-worker-monitor-api').spec.ports = [
            { name: 'http', port: 4000, targetPort: 'web' },
          ]),
        'port http targets no port of its pods',
      ],
      [
        'a ServiceMonitor on a port name the Services lack',
        (o) => (firstEndpoint(o).port = 'metrics'),
        'Service cml-worker-monitor-api has no port named metrics',
      ],
      [
        'a ServiceMonitor without the metrics token',
        (o) => delete firstEndpoint(o).authorization,
        'METRICS_TOKEN is set, so scrapes need its authorization',
      ],
      [
        'a ServiceMonitor missing the workers',
        (o) => (find<Service>(o, 'Service', 'cml-worker-monitor-worker').metadata.labels = {}),
        'selects no Service of cml-worker-monitor-worker',
      ],
      [
        'a pod that may run as root',
        (o) =>
          (api(o).spec.template.spec.securityContext = {
            runAsUser: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          }),
        'cml-worker-monitor may run as root',
      ],
      [
        'a writable root filesystem',
        (o) =>
          (serviceContainer(worker(o)).securityContext = {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          }),
        'the root filesystem must be read-only',
      ],
      [
        'no memory limit',
        (o) =>
          (serviceContainer(api(o)).resources = { requests: { cpu: '250m', memory: '320Mi' } }),
        'CPU and memory requests and a memory limit are required',
      ],
      [
        'an object outside the namespace',
        (o) => delete find(o, 'Service', 'cml-worker-monitor-worker').metadata.namespace,
        'Service cml-worker-monitor-worker is outside the Namespace of the render',
      ],
    ])('should catch %s', (_case, breakIt, problem) => {
      const objects = renderProduction();
      breakIt(objects);
      expect(problemsOf(objects)).toContainEqual(expect.stringContaining(problem));
    });

    it('should catch a URL naming a Service the render lacks', () => {
      const objects = renderEmulator();
      const redis = objects.findIndex((o) => o.kind === 'Service' && o.metadata.name === 'redis');
      objects.splice(redis, 1);
      expect(problemsOf(objects)).toContainEqual(
        expect.stringContaining('REDIS_URL names redis:6379, no Service here'),
      );
    });
  });
});
