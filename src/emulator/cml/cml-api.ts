import type { EmulatedInstance } from '../instance-lifecycle';
import { CML_API_BASE, CML_PATH_PREFIX } from './cml-endpoint';
import { licensing } from './cml-licensing';
import { labInfo, labTile, systemHealth, systemInformation, systemStats } from './cml-payloads';
import type { EmulatedCml } from './emulated-cml';

/** The call counter files every controller call under this region. */
export const CML_CALL_REGION = 'cml';

/** A running instance with its available controller: what a CML call reaches. */
export interface CmlHost {
  controller: EmulatedCml;
  instance: EmulatedInstance;
}

export interface CmlCall {
  instanceId: string;
  method: string;
  /** The path after the controller's address, e.g. `/api/v0/labs`. */
  path: string;
  /** How the call counter files it: the method and the path after `/api/v0`, lab ids as `{id}`. */
  action: string;
}

export interface CmlRequest {
  authorization: string | undefined;
  body: string;
}

export interface CmlAnswer {
  status: number;
  body: unknown;
}

interface Route {
  method: string;
  path: RegExp;
  /** Answers without a token, as CML's login and readiness probe do. */
  open?: boolean;
  answer(host: CmlHost, request: CmlRequest, match: RegExpExecArray): CmlAnswer;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', path: /^\/authenticate$/, open: true, answer: authenticate },
  {
    method: 'GET',
    path: /^\/system_information$/,
    open: true,
    answer: (host) => ok(systemInformation(isReady(host))),
  },
  {
    method: 'GET',
    path: /^\/system_health$/,
    answer: (host) => ok(systemHealth(host.controller, isReady(host))),
  },
  {
    method: 'GET',
    path: /^\/system_stats$/,
    answer: (host) => ok(systemStats(host.controller, host.instance)),
  },
  { method: 'GET', path: /^\/licensing$/, answer: (host) => ok(licensing(host.controller)) },
  {
    method: 'GET',
    path: /^\/labs$/,
    answer: (host) => ok(host.controller.labs().map((lab) => lab.id)),
  },
  {
    method: 'GET',
    path: /^\/labs\/([^/]+)$/,
    answer: (host, _request, match) => {
      const labId = match[1] ?? '';
      const lab = host.controller.findLab(labId);
      return lab ? ok(labInfo(host.controller, lab)) : failure(404, `Lab not found: ${labId}`);
    },
  },
  {
    method: 'GET',
    path: /^\/populate_lab_tiles$/,
    answer: ({ controller }) =>
      ok({
        lab_tiles: Object.fromEntries(
          controller.labs().map((lab) => [lab.id, labTile(controller, lab)]),
        ),
      }),
  },
];

/** The call a request under `/cml/` makes, or undefined when it names no instance. */
export function parseCmlCall(method: string, pathname: string): CmlCall | undefined {
  const rest = pathname.slice(CML_PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const instanceId = slash === -1 ? rest : rest.slice(0, slash);
  if (instanceId === '') {
    return undefined;
  }
  const path = slash === -1 ? '' : rest.slice(slash);
  return { instanceId, method, path, action: `${method} ${actionPath(path)}` };
}

/** Answers a call the way CML 2.x does: JSON, errors as `{"code", "description"}`. */
export function answerCmlCall(host: CmlHost, call: CmlCall, request: CmlRequest): CmlAnswer {
  const apiPath = apiPathOf(call.path);
  const candidates =
    apiPath === undefined ? [] : ROUTES.filter((route) => route.path.test(apiPath));
  if (apiPath === undefined || candidates.length === 0) {
    return failure(404, `Not found: ${call.path === '' ? '/' : call.path}`);
  }
  const route = candidates.find((candidate) => candidate.method === call.method);
  const match = route?.path.exec(apiPath);
  if (!route || !match) {
    return failure(405, `Method ${call.method} not allowed on ${call.path}`);
  }
  const refusal = route.open ? undefined : host.controller.refusal(request.authorization);
  if (refusal !== undefined) {
    return failure(401, refusal);
  }
  return route.answer(host, request, match);
}

function authenticate(host: CmlHost, request: CmlRequest): CmlAnswer {
  const credentials = parseCredentials(request.body);
  if (!credentials) {
    return failure(400, 'The body must be a JSON object with a username and a password.');
  }
  const token = host.controller.authenticate(credentials.username, credentials.password);
  return token === undefined ? failure(403, 'Authentication failed!') : ok(token);
}

function parseCredentials(body: string): { username: string; password: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) {
    return undefined;
  }
  const { username, password } = json as Record<string, unknown>;
  return typeof username === 'string' && typeof password === 'string'
    ? { username, password }
    : undefined;
}

/** A reboot boots the controller again, as entering running does. */
function isReady({ controller, instance }: CmlHost): boolean {
  return controller.isReady(instance.checksSince);
}

/** The path after `/api/v0` without a trailing slash, or undefined outside the API. */
function apiPathOf(path: string): string | undefined {
  if (path !== CML_API_BASE && !path.startsWith(`${CML_API_BASE}/`)) {
    return undefined;
  }
  return path.slice(CML_API_BASE.length).replace(/\/+$/, '');
}

function actionPath(path: string): string {
  const segments = (apiPathOf(path) ?? path).split('/');
  const named = segments.map((segment, index) =>
    segments[index - 1] === 'labs' ? '{id}' : segment,
  );
  return named.join('/') || '/';
}

function ok(body: unknown): CmlAnswer {
  return { status: 200, body };
}

function failure(status: number, description: string): CmlAnswer {
  return { status, body: { code: status, description } };
}
