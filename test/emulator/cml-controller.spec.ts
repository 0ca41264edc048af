import { CML_PATH_PREFIX, cmlEndpointFor } from '../../src/emulator/cml/cml-endpoint';
import type { LabView } from '../../src/emulator/cml/emulated-cml';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import {
  eventually,
  http,
  ManualClock,
  MINUTE,
  START_TIME,
  startTestEmulator,
  TEST_REGION,
  TEST_TIMING,
} from './emulator.factory';

const DAY = 24 * 60 * MINUTE;
const EIGHT_HOURS = 8 * 60 * MINUTE;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The licensing API's timestamps: `2027-01-14 00:56:19`, UTC. */
function licensingTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

interface Tile {
  state: string;
  lab_title: string;
  topology: { nodes: Array<{ state: string; label: string }>; links: unknown[] };
}

interface Dominfo {
  total_nodes: number;
  running_nodes: number;
  allocated_cpus: number;
}

describe('Emulated CML controllers', () => {
  let clock: ManualClock;
  let emulator: RunningEmulator;
  let instanceId: string;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startTestEmulator({ clock: clock.now });
    instanceId = addInstance('cml-a');
  });

  afterEach(() => emulator.close());

  function addInstance(name: string, state: 'running' | 'stopped' = 'running'): string {
    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, name, state });
    if (!instance) {
      throw new Error('no instance created');
    }
    return instance.instanceId;
  }

  const api = (
    path: string,
    init: {
      method?: string;
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
    } = {},
    id = instanceId,
  ) =>
    http(emulator, `/cml/${id}/api/v0${path}`, {
      method: init.method,
      body: init.body,
      headers: init.token === undefined ? init.headers : { authorization: `Bearer ${init.token}` },
    });

  const control = (path: string, method = 'GET', body?: unknown) =>
    http(emulator, `/_emulator/instances/${path}`, { method, body });

  async function login(id = instanceId, username = 'admin'): Promise<string> {
    const answer = await api(
      '/authenticate',
      { method: 'POST', body: { username, password: 'cisco123' } },
      id,
    );
    expect(answer.status).toBe(200);
    return answer.json as string;
  }

  async function addLab(body: Record<string, unknown>, name = 'cml-a'): Promise<LabView> {
    const answer = await control(`${name}/labs`, 'POST', body);
    expect(answer.status).toBe(201);
    return answer.json as LabView;
  }

  async function dominfo(token: string): Promise<Dominfo> {
    const stats = (await api('/system_stats', { token })).json as {
      computes: Record<string, { stats: { dominfo: Dominfo } }>;
    };
    const [compute] = Object.values(stats.computes);
    if (!compute) {
      throw new Error('no compute host');
    }
    return compute.stats.dominfo;
  }

  it('should serve the controller at cmlEndpointFor(emulator, instance) + /api/v0', async () => {
    const base = cmlEndpointFor(emulator.endpoint, instanceId);

    expect(CML_PATH_PREFIX).toBe('/cml/');
    expect(base).toBe(`${emulator.endpoint}/cml/${instanceId}`);
    const answer = await fetch(`${base}/api/v0/system_information`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await answer.json()).toEqual({
      version: '2.8.1+build.6',
      ready: true,
      allow_ssh_pubkey_auth: false,
      oui: '52:54:00:00:00:00',
    });
  });

  it('should issue an HS256 JWT for any user and password, and answer with it', async () => {
    const token = await login(instanceId, 'student07');

    expect(token).toMatch(JWT);
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'))).toEqual({
      typ: 'JWT',
      alg: 'HS256',
    });
    const claims = claimsOf(token);
    expect(claims).toEqual({
      iss: 'com.cisco.virl',
      iat: START_TIME / 1000,
      exp: (START_TIME + EIGHT_HOURS) / 1000,
      sub: expect.stringMatching(UUID),
    });
    // The token names the user by id, the id labs give as their owner.
    const lab = await addLab({ title: 'mine', nodes: 1, owner: 'student07' });
    const info = await api(`/labs/${lab.id}`, { token });
    expect(info.status).toBe(200);
    expect((info.json as { owner: string }).owner).toBe(claims.sub);
    expect((await api('/labs', { token })).json).toEqual([lab.id]);
  });

  it('should refuse an empty user name or password with 403 and a body that is no credentials with 400', async () => {
    const empty = await api('/authenticate', {
      method: 'POST',
      body: { username: 'admin', password: '' },
    });
    const garbled = await api('/authenticate', { method: 'POST', body: '{"username":' });
    const missing = await api('/authenticate', { method: 'POST', body: { username: 'admin' } });

    expect(empty.status).toBe(403);
    expect(empty.json).toEqual({ code: 403, description: 'Authentication failed!' });
    expect(garbled.status).toBe(400);
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ code: 400, description: expect.any(String) });
  });

  it('should answer 401 with a reason for a missing, malformed, forged or foreign token', async () => {
    const token = await login();
    const otherToken = await login(addInstance('cml-b'));
    const [header, payload, signature = ''] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

    const answers = await Promise.all([
      api('/labs'),
      api('/labs', { headers: { authorization: `Basic ${token}` } }),
      api('/labs', { token: 'not-a-jwt' }),
      api('/labs', { token: forged }),
      api('/labs', { token: otherToken }),
    ]);

    expect(answers.map((answer) => answer.json)).toEqual([
      { code: 401, description: 'No authorization token provided.' },
      { code: 401, description: 'Malformed authorization header: expected a Bearer token.' },
      { code: 401, description: 'Malformed token.' },
      { code: 401, description: 'Invalid token.' },
      { code: 401, description: 'Invalid token.' },
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
  });

  it('should guard every route but authenticate and system_information', async () => {
    const lab = await addLab({ title: 'guarded', nodes: 1 });
    const paths = [
      '/system_health',
      '/system_stats',
      '/licensing',
      '/labs',
      `/labs/${lab.id}`,
      '/populate_lab_tiles',
    ];

    const answers = await Promise.all(paths.map((path) => api(path)));

    expect(answers.map((answer) => answer.status)).toEqual(paths.map(() => 401));
  });

  it("should expire tokens after the lifetime, on the emulator's clock", async () => {
    const token = await login();

    clock.advance(EIGHT_HOURS - 1000);
    expect((await api('/labs', { token })).status).toBe(200);

    clock.advance(1000);
    const expired = await api('/labs', { token });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ code: 401, description: 'Token expired.' });
  });

  it('should give tokens the lifetime set per controller, or by the emulator option', async () => {
    const set = await control('cml-a/cml', 'POST', { tokenLifetimeSeconds: 2 });
    expect(set.json).toMatchObject({ tokenLifetimeSeconds: 2 });
    const token = await login();
    expect(claimsOf(token).exp).toBe(START_TIME / 1000 + 2);
    clock.advance(2000);
    expect((await api('/labs', { token })).json).toEqual({
      code: 401,
      description: 'Token expired.',
    });

    const shortLived = await startTestEmulator({ clock: clock.now, cmlTokenLifetimeMs: 60_000 });
    try {
      const [instance] = shortLived.fleet.addInstances({ region: TEST_REGION });
      const answer = await http(shortLived, `/cml/${instance?.instanceId}/api/v0/authenticate`, {
        method: 'POST',
        body: { username: 'admin', password: 'admin' },
      });
      const claims = claimsOf(answer.json as string);
      expect(Number(claims.exp) - Number(claims.iat)).toBe(60);
    } finally {
      await shortLived.close();
    }
  });

  it('should revoke issued tokens when credentials are rejected: 401, then 403 on login', async () => {
    const token = await login();

    const rejected = await control('cml-a/cml', 'POST', { credentials: 'rejected' });
    expect(rejected.status).toBe(200);
    expect(rejected.json).toMatchObject({ credentials: 'rejected' });

    const revoked = await api('/labs', { token });
    expect(revoked.status).toBe(401);
    const relogin = await api('/authenticate', {
      method: 'POST',
      body: { username: 'admin', password: 'cisco123' },
    });
    expect(relogin.status).toBe(403);
    expect(relogin.json).toEqual({ code: 403, description: 'Authentication failed!' });

    const restored = await control('cml-a/cml', 'DELETE');
    expect(restored.json).toMatchObject({ credentials: 'accepted', available: true });
    const fresh = await login();
    expect((await api('/labs', { token: fresh })).status).toBe(200);
    expect((await api('/labs', { token })).status).toBe(401);
  });

  it('should show labs in populate_lab_tiles and labs/{id} with node states that follow the lab', async () => {
    const started = await addLab({
      title: 'ccna-1',
      nodes: 8,
      state: 'STARTED',
      owner: 'student1',
    });
    const defined = await addLab({ title: 'draft', nodes: 0 });
    const token = await login();

    expect(started).toEqual({
      id: expect.stringMatching(UUID),
      title: 'ccna-1',
      state: 'STARTED',
      owner: 'student1',
      nodes: 8,
      created: new Date(START_TIME).toISOString(),
      modified: new Date(START_TIME).toISOString(),
    });
    expect(defined).toMatchObject({ state: 'DEFINED_ON_CORE', owner: 'admin', nodes: 0 });
    expect((await api('/labs', { token })).json).toEqual([started.id, defined.id]);
    const info = await api(`/labs/${started.id}`, { token });
    expect(info.json).toEqual({
      state: 'STARTED',
      created: '2026-01-01T12:00:00+00:00',
      modified: '2026-01-01T12:00:00+00:00',
      lab_title: 'ccna-1',
      lab_description: '',
      lab_notes: '',
      owner: expect.stringMatching(UUID),
      owner_username: 'student1',
      node_count: 8,
      link_count: 0,
      id: started.id,
      groups: [],
    });

    const tiles = (await api('/populate_lab_tiles', { token })).json as {
      lab_tiles: Record<string, Tile & Record<string, unknown>>;
    };
    expect(Object.keys(tiles.lab_tiles)).toEqual([started.id, defined.id]);
    const tile = tiles.lab_tiles[started.id];
    const { topology, ...details } = tile ?? { topology: undefined };
    expect(details).toEqual(info.json);
    expect(topology?.links).toEqual([]);
    expect(topology?.nodes).toHaveLength(8);
    expect(topology?.nodes[0]).toEqual({
      id: expect.stringMatching(UUID),
      label: 'iosv-0',
      x: expect.any(Number),
      y: expect.any(Number),
      node_definition: 'iosv',
      image_definition: null,
      state: 'BOOTED',
      cpus: null,
      cpu_limit: null,
      ram: null,
      data_volume: null,
      boot_disk_size: null,
    });
    expect(new Set(topology?.nodes.map((node) => node.label)).size).toBe(8);

    const nodeStates = async () => {
      const { lab_tiles } = (await api('/populate_lab_tiles', { token })).json as {
        lab_tiles: Record<string, Tile>;
      };
      const labTile = lab_tiles[started.id];
      return {
        lab: labTile?.state,
        nodes: [...new Set(labTile?.topology.nodes.map((n) => n.state))],
      };
    };
    for (const [state, nodes] of [
      ['STOPPED', 'STOPPED'],
      ['QUEUED', 'QUEUED'],
      ['DEFINED_ON_CORE', 'DEFINED_ON_CORE'],
      ['BOOTED', 'BOOTED'],
      ['STARTED', 'BOOTED'],
    ] as const) {
      clock.advance(MINUTE);
      const changed = await control(`cml-a/labs/${started.id}/state`, 'POST', { state });
      expect(changed.status).toBe(200);
      expect(changed.json).toMatchObject({ state, modified: new Date(clock.now()).toISOString() });
      expect(await nodeStates()).toEqual({ lab: state, nodes: [nodes] });
    }
    const modified = (await api(`/labs/${started.id}`, { token })).json as { modified: string };
    expect(modified.modified).toBe('2026-01-01T12:05:00+00:00');

    const unknown = await api('/labs/7e0a0a4e-0000-4000-8000-000000000000', { token });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      code: 404,
      description: 'Lab not found: 7e0a0a4e-0000-4000-8000-000000000000',
    });
  });

  it('should list, show and delete labs through the control API', async () => {
    const lab = await addLab({ title: 'ccna-1', nodes: 2 });
    const listed = await control('cml-a/labs');
    const shown = await control(`cml-a/labs/${lab.id}`);

    const deleted = await control(`cml-a/labs/${lab.id}`, 'DELETE');

    expect(listed.json).toEqual({ labs: [lab] });
    expect(shown.json).toEqual(lab);
    expect(deleted.status).toBe(204);
    expect((await control('cml-a/labs')).json).toEqual({ labs: [] });
    expect((await api('/labs', { token: await login() })).json).toEqual([]);
  });

  it('should count running nodes in system_stats as the labs start and stop', async () => {
    const ccna = await addLab({ title: 'ccna', nodes: 8, state: 'STARTED' });
    const ospf = await addLab({ title: 'ospf', nodes: 4, state: 'STOPPED' });
    await addLab({ title: 'draft', nodes: 5 });
    const token = await login();

    expect(await dominfo(token)).toMatchObject({
      total_nodes: 12,
      running_nodes: 8,
      allocated_cpus: 8,
    });

    await control(`cml-a/labs/${ospf.id}/state`, 'POST', { state: 'STARTED' });
    expect(await dominfo(token)).toMatchObject({ total_nodes: 12, running_nodes: 12 });

    await control(`cml-a/labs/${ccna.id}/state`, 'POST', { state: 'QUEUED' });
    expect(await dominfo(token)).toMatchObject({ total_nodes: 4, running_nodes: 4 });

    await control(`cml-a/labs/${ospf.id}/state`, 'POST', { state: 'STOPPED' });
    expect(await dominfo(token)).toMatchObject({ running_nodes: 0, allocated_cpus: 0 });
  });

  it("should report the instance's CloudWatch CPU and memory in system_stats", async () => {
    emulator.fleet.setNextMetrics(instanceId, { cpu: 42.5, memory: 25 });
    const token = await login();

    const stats = (await api('/system_stats', { token })).json as {
      all: { cpu: { count: number; percent: number }; memory: Record<string, number> };
      computes: Record<string, { hostname: string; is_controller: boolean }>;
      controller: { disk: Record<string, number> };
    };

    expect(stats.all.cpu).toEqual({ count: 8, percent: 42.5 });
    expect(stats.all.memory).toEqual({
      total: 32 * 1024 ** 3,
      used: 8 * 1024 ** 3,
      free: 24 * 1024 ** 3,
    });
    expect(Object.values(stats.computes)).toEqual([
      expect.objectContaining({ hostname: 'cml-controller', is_controller: true }),
    ]);
    expect(stats.controller.disk).toEqual({
      total: expect.any(Number),
      free: expect.any(Number),
      used: expect.any(Number),
    });
  });

  it('should answer system_health with one valid controller compute, licensed or not', async () => {
    const token = await login();

    const health = (await api('/system_health', { token })).json as Record<string, unknown>;
    await control('cml-a/cml', 'POST', { license: 'unregistered' });
    const unlicensed = (await api('/system_health', { token })).json as Record<string, unknown>;

    expect(health).toMatchObject({
      valid: true,
      is_licensed: true,
      is_enterprise: true,
      controller: { core_connected: true, nodes_loaded: true, images_loaded: true, valid: true },
    });
    const computes = Object.entries(health.computes as Record<string, unknown>);
    expect(computes).toEqual([
      [
        expect.stringMatching(UUID),
        expect.objectContaining({
          kvm_vmx_enabled: true,
          enough_cpus: true,
          refplat_images_available: true,
          lld_connected: true,
          valid: true,
          is_controller: true,
          hostname: 'cml-controller',
          admission_state: 'READY',
        }),
      ],
    ]);
    expect(unlicensed).toMatchObject({ valid: true, is_licensed: false });
  });

  it('should show a valid license registered and in compliance, expiring in 300 days', async () => {
    const token = await login();

    const licensing = (await api('/licensing', { token })).json as Record<string, unknown>;

    const expires = licensingTime(START_TIME + 300 * DAY);
    expect(licensing).toMatchObject({
      registration: {
        status: 'COMPLETED',
        expires,
        smart_account: expect.any(String),
        virtual_account: expect.any(String),
        register_time: expect.objectContaining({ success: 'SUCCESS' }),
        renew_time: expect.objectContaining({ scheduled: expect.any(String) }),
      },
      authorization: { status: 'IN_COMPLIANCE', expires, renew_time: expect.any(Object) },
      product_license: { active: 'CML_Enterprise', is_enterprise: true },
      reservation_mode: false,
      transport: { ssms: expect.any(String), default_ssms: expect.any(String) },
      udi: { hostname: 'cml-controller', product_uuid: expect.stringMatching(UUID) },
    });
    expect(licensing.features).toEqual([
      expect.objectContaining({ name: 'CML - Enterprise License', status: 'IN_COMPLIANCE' }),
      expect.objectContaining({ name: 'CML - Expansion Node License', status: 'IN_COMPLIANCE' }),
    ]);
  });

  it('should show an unregistered controller in evaluation, and one out of compliance', async () => {
    const token = await login();

    await control('cml-a/cml', 'POST', { license: 'unregistered' });
    const unregistered = (await api('/licensing', { token })).json;
    await control('cml-a/cml', 'POST', { license: 'out-of-compliance' });
    const outOfCompliance = (await api('/licensing', { token })).json;

    const expires = licensingTime(START_TIME + 300 * DAY);
    expect(unregistered).toMatchObject({
      registration: {
        status: 'UNREGISTERED',
        expires: null,
        smart_account: null,
        virtual_account: null,
      },
      authorization: { status: 'EVAL', expires },
    });
    expect(outOfCompliance).toMatchObject({
      registration: { status: 'COMPLETED', expires },
      authorization: { status: 'OUT_OF_COMPLIANCE', expires },
    });
  });

  it('should move both expiry dates to now + licenseExpiresInDays, and unlicense an expired one', async () => {
    clock.advance(DAY);
    const token = await login();

    const set = await control('cml-a/cml', 'POST', { licenseExpiresInDays: 5 });
    const licensing = (await api('/licensing', { token })).json;
    await control('cml-a/cml', 'POST', { licenseExpiresInDays: -1 });
    const health = (await api('/system_health', { token })).json;

    const expires = START_TIME + 6 * DAY;
    expect(set.json).toMatchObject({ licenseExpiresAt: new Date(expires).toISOString() });
    expect(licensing).toMatchObject({
      registration: { status: 'COMPLETED', expires: licensingTime(expires) },
      authorization: { status: 'IN_COMPLIANCE', expires: licensingTime(expires) },
    });
    expect(health).toMatchObject({ is_licensed: false });
  });

  it('should say it is not ready for cmlBootMs after its instance starts running', async () => {
    const booting = await startTestEmulator({
      clock: clock.now,
      timing: { ...TEST_TIMING, cmlBootMs: 90_000 },
    });
    try {
      const [instance] = booting.fleet.addInstances({ region: TEST_REGION, state: 'pending' });
      const info = () =>
        http(booting, `/cml/${instance?.instanceId}/api/v0/system_information`).then(
          (answer) => (answer.json as { ready: boolean }).ready,
        );
      clock.advance(2_000);

      expect(await info()).toBe(false);
      clock.advance(89_999);
      expect(await info()).toBe(false);
      clock.advance(1);
      expect(await info()).toBe(true);
    } finally {
      await booting.close();
    }
  });

  it('should drop the connection while made unavailable, and answer again once restored', async () => {
    const set = await control('cml-a/cml', 'POST', { available: false });
    expect(set.json).toEqual({
      instanceId,
      available: false,
      latencyMs: 0,
      license: 'valid',
      licenseExpiresAt: new Date(START_TIME + 300 * DAY).toISOString(),
      credentials: 'accepted',
      tokenLifetimeSeconds: 8 * 60 * 60,
    });

    await expect(api('/system_information')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await control('cml-a/cml')).json).toMatchObject({ available: false });

    await control('cml-a/cml', 'DELETE');
    expect((await api('/system_information')).status).toBe(200);
  });

  it('should not answer for an instance that is not running, or unknown', async () => {
    const stopped = addInstance('cml-stopped', 'stopped');
    const [pending] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'pending' });
    const token = await login();
    emulator.fleet.setState(instanceId, 'stopping');

    const attempts = [
      api('/system_information', {}, stopped),
      api('/system_information', {}, pending?.instanceId),
      api('/labs', { token }),
      api('/system_information', {}, 'i-0123456789abcdef0'),
      http(emulator, '/cml/'),
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toThrow(/socket hang up|ECONNRESET/);
    }

    clock.advance(3_000);
    emulator.fleet.setState(instanceId, 'running');
    // Its labs and tokens survive the restart, as a controller's disk does.
    expect((await api('/labs', { token })).status).toBe(200);
  });

  it('should delay answers by the injected latency, and not hold close() for them', async () => {
    await control('cml-a/cml', 'POST', { latencyMs: 300 });
    const started = Date.now();

    expect((await api('/system_information')).status).toBe(200);

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    const slow = await startTestEmulator();
    const [instance] = slow.fleet.addInstances({ region: TEST_REGION });
    const id = instance?.instanceId ?? '';
    slow.fleet.cml(id).configure({ latencyMs: 60_000 });
    const pending = http(slow, `/cml/${id}/api/v0/system_information`).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await eventually(() =>
      slow.fleet.callCount('cml', 'GET /system_information') === 1 ? true : undefined,
    );

    await slow.close();

    expect(await pending).toMatch(/socket hang up|ECONNRESET/);
  });

  it('should count every controller call under region cml, by method and path with lab ids as {id}', async () => {
    const lab = await addLab({ title: 'counted', nodes: 1 });
    const unavailable = addInstance('cml-b');
    emulator.fleet.cml(unavailable).configure({ available: false });
    const token = await login();
    await api('/populate_lab_tiles', { token });
    await api('/populate_lab_tiles', { token });
    await api(`/labs/${lab.id}`, { token });
    await api('/labs', { token });
    await api('/licensing');
    // A call the controller drops counts too: the client made it.
    await expect(api('/system_information', {}, unavailable)).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );

    const calls = await http(emulator, '/_emulator/calls');

    expect(calls.json).toEqual({
      calls: {
        cml: {
          'POST /authenticate': 1,
          'GET /populate_lab_tiles': 2,
          'GET /labs/{id}': 1,
          'GET /labs': 1,
          'GET /licensing': 1,
          'GET /system_information': 1,
        },
      },
    });
    expect(emulator.fleet.callCount('cml', 'GET /populate_lab_tiles')).toBe(2);
  });

  it('should answer 404 for an unknown API path and 405 for a wrong method, as JSON', async () => {
    const token = await login();

    const unknown = await api('/nodes', { token });
    const outside = await http(emulator, `/cml/${instanceId}/index.html`);
    const wrongMethod = await api('/labs', { method: 'POST', token, body: {} });

    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ code: 404, description: 'Not found: /api/v0/nodes' });
    expect(outside.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json).toEqual({ code: 405, description: expect.any(String) });
  });

  it.each([
    ['a lab without a title', 'cml-a/labs', { nodes: 2 }],
    ['a lab of 501 nodes', 'cml-a/labs', { title: 'big', nodes: 501 }],
    ['a lab in an unknown state', 'cml-a/labs', { title: 'x', nodes: 1, state: 'RUNNING' }],
    ['a lab with an unknown field', 'cml-a/labs', { title: 'x', nodes: 1, color: 'red' }],
    ['an empty controller change', 'cml-a/cml', {}],
    ['a latency above a minute', 'cml-a/cml', { latencyMs: 60_001 }],
    ['an unknown license', 'cml-a/cml', { license: 'gold' }],
    ['an unknown credentials mode', 'cml-a/cml', { credentials: 'maybe' }],
    ['a token lifetime of zero', 'cml-a/cml', { tokenLifetimeSeconds: 0 }],
    ['a body that is not JSON', 'cml-a/cml', '{available: false'],
  ])('should answer 400 with an error for %s', async (_case, path, body) => {
    const answer = await control(path, 'POST', body);

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.any(String) });
  });

  it('should answer 400 for an unknown lab state, 404 for an unknown lab or instance, 405 for a wrong method', async () => {
    const lab = await addLab({ title: 'x', nodes: 1 });

    const badState = await control(`cml-a/labs/${lab.id}/state`, 'POST', { state: 'PAUSED' });
    const unknownLab = await control('cml-a/labs/no-such-lab/state', 'POST', { state: 'STOPPED' });
    const unknownDelete = await control('cml-a/labs/no-such-lab', 'DELETE');
    const unknownInstance = await control('i-0123456789abcdef0/cml', 'POST', { latencyMs: 5 });
    const unknownName = await control('nobody/labs');
    const wrongMethod = await control(`cml-a/labs/${lab.id}/state`, 'GET');
    const noRoute = await control(`cml-a/labs/${lab.id}/nodes`);

    expect(badState.status).toBe(400);
    expect(unknownLab.status).toBe(404);
    expect(unknownLab.json).toEqual({ error: 'No lab no-such-lab' });
    expect(unknownDelete.status).toBe(404);
    expect(unknownInstance.status).toBe(404);
    expect(unknownInstance.json).toEqual({ error: 'No instance i-0123456789abcdef0' });
    expect(unknownName.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
    expect(noRoute.status).toBe(404);
  });

  it('should forget the controllers on reset: labs, settings and tokens', async () => {
    await addLab({ title: 'before', nodes: 3, state: 'STARTED' });
    await control('cml-a/cml', 'POST', { latencyMs: 5, license: 'unregistered' });
    const token = await login();

    expect((await http(emulator, '/_emulator/reset', { method: 'POST' })).status).toBe(204);
    // The same seed gives the same instance id again: a new machine at the old address.
    expect(addInstance('cml-a')).toBe(instanceId);

    expect((await api('/labs', { token })).json).toEqual({
      code: 401,
      description: 'Invalid token.',
    });
    expect((await control('cml-a/labs')).json).toEqual({ labs: [] });
    expect((await control('cml-a/cml')).json).toMatchObject({
      latencyMs: 0,
      license: 'valid',
    });
  });
});
