import { randomBytes } from 'node:crypto';
import { SeededRandom } from '../random';
import { checkToken, signToken } from './jwt';

/**
 * What a lab can be put in through the control API. CML itself reports a lab as
 * DEFINED_ON_CORE, STOPPED or STARTED; QUEUED and BOOTED are there so a client meets the node
 * states of a lab on its way up.
 */
export const LAB_STATES = ['DEFINED_ON_CORE', 'STOPPED', 'STARTED', 'QUEUED', 'BOOTED'] as const;
export type LabState = (typeof LAB_STATES)[number];

export const LICENSE_STATES = ['valid', 'unregistered', 'out-of-compliance'] as const;
export type LicenseState = (typeof LICENSE_STATES)[number];

export const CREDENTIAL_MODES = ['accepted', 'rejected'] as const;
export type CredentialMode = (typeof CREDENTIAL_MODES)[number];

/** CML's default web session timeout. */
export const DEFAULT_CML_TOKEN_LIFETIME_MS = 8 * 60 * 60_000;
/** How far off a fresh controller's license (and a reset one's) expires. */
const DEFAULT_LICENSE_DAYS = 300;
export const DAY_MS = 24 * 60 * 60_000;
/** The user labs belong to when no owner is named: CML's first administrator. */
const DEFAULT_LAB_OWNER = 'admin';
const TOKEN_ISSUER = 'com.cisco.virl';

export interface CmlDefaults {
  tokenLifetimeMs: number;
  /** How long after its instance starts running the controller says it is not ready. */
  bootMs: number;
}

export interface AddLabRequest {
  title: string;
  nodes: number;
  /** Defaults to DEFINED_ON_CORE, as a lab that was created and never started. */
  state?: LabState;
  /** A user name; defaults to `admin`. */
  owner?: string;
}

/** A lab as the control API shows it (plain JSON). */
export interface LabView {
  id: string;
  title: string;
  state: LabState;
  owner: string;
  nodes: number;
  created: string;
  modified: string;
}

export interface CmlSettingsChange {
  available?: boolean;
  latencyMs?: number;
  license?: LicenseState;
  licenseExpiresInDays?: number;
  credentials?: CredentialMode;
  tokenLifetimeSeconds?: number;
}

/** A controller's settings as the control API shows them (plain JSON). */
export interface CmlSettingsView {
  instanceId: string;
  available: boolean;
  latencyMs: number;
  license: LicenseState;
  licenseExpiresAt: string;
  credentials: CredentialMode;
  tokenLifetimeSeconds: number;
}

export interface CmlNode {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly nodeDefinition: string;
}

export interface CmlLab {
  readonly id: string;
  readonly title: string;
  readonly ownerUsername: string;
  readonly nodes: readonly CmlNode[];
  readonly created: number;
  state: LabState;
  modified: number;
}

/** A control-API request naming a lab the controller does not have (HTTP 404). */
export class UnknownLabError extends Error {
  override readonly name = 'UnknownLabError';

  constructor(readonly labId: string) {
    super(`No lab ${labId}`);
  }
}

interface Settings {
  available: boolean;
  latencyMs: number;
  license: LicenseState;
  licenseExpiresAt: number;
  credentials: CredentialMode;
  tokenLifetimeMs: number;
}

// The node definitions of CML's reference platforms, dealt out in turn to a lab's nodes.
const NODE_DEFINITIONS = ['iosv', 'iosvl2', 'csr1000v', 'alpine', 'ubuntu'] as const;
const GRID_COLUMNS = NODE_DEFINITIONS.length;
const GRID_SPACING = 150;

/**
 * The CML controller of one instance: its labs, users, tokens and the settings the control API
 * shapes it with. Ids come from a seeded generator, so runs replay; the token secret does not,
 * so no token outlives the emulator.
 */
export class EmulatedCml {
  readonly computeId: string;
  readonly productUuid: string;
  private readonly random: SeededRandom;
  private readonly labsById = new Map<string, CmlLab>();
  private readonly userIds = new Map<string, string>();
  private secret = randomBytes(32);
  private current: Settings;

  constructor(
    readonly instanceId: string,
    seed: number,
    private readonly clock: () => number,
    private readonly defaults: CmlDefaults,
  ) {
    this.random = new SeededRandom(seed);
    this.computeId = this.uuid();
    this.productUuid = this.uuid();
    this.current = this.defaultSettings();
  }

  now(): number {
    return this.clock();
  }

  get available(): boolean {
    return this.current.available;
  }

  get latencyMs(): number {
    return this.current.latencyMs;
  }

  get license(): LicenseState {
    return this.current.license;
  }

  get licenseExpiresAt(): number {
    return this.current.licenseExpiresAt;
  }

  /** Whether the controller has finished booting, for an instance running since `runningSince`. */
  isReady(runningSince: number): boolean {
    return this.now() - runningSince >= this.defaults.bootMs;
  }

  settings(): CmlSettingsView {
    const settings = this.current;
    return {
      instanceId: this.instanceId,
      available: settings.available,
      latencyMs: settings.latencyMs,
      license: settings.license,
      licenseExpiresAt: new Date(settings.licenseExpiresAt).toISOString(),
      credentials: settings.credentials,
      tokenLifetimeSeconds: settings.tokenLifetimeMs / 1000,
    };
  }

  /** Rejecting credentials also revokes every token issued so far, as a password change does. */
  configure(change: CmlSettingsChange): CmlSettingsView {
    const settings = this.current;
    settings.available = change.available ?? settings.available;
    settings.latencyMs = change.latencyMs ?? settings.latencyMs;
    settings.license = change.license ?? settings.license;
    settings.credentials = change.credentials ?? settings.credentials;
    if (change.licenseExpiresInDays !== undefined) {
      settings.licenseExpiresAt = this.now() + change.licenseExpiresInDays * DAY_MS;
    }
    if (change.tokenLifetimeSeconds !== undefined) {
      settings.tokenLifetimeMs = change.tokenLifetimeSeconds * 1000;
    }
    if (change.credentials === 'rejected') {
      this.secret = randomBytes(32);
    }
    return this.settings();
  }

  /** Back to a healthy controller; tokens revoked before stay revoked. */
  restoreDefaults(): CmlSettingsView {
    this.current = this.defaultSettings();
    return this.settings();
  }

  /** A token for the user, or undefined when the controller refuses the credentials. */
  authenticate(username: string, password: string): string | undefined {
    if (this.current.credentials === 'rejected' || username === '' || password === '') {
      return undefined;
    }
    const now = this.now();
    return signToken(
      {
        iss: TOKEN_ISSUER,
        iat: Math.floor(now / 1000),
        exp: Math.floor((now + this.current.tokenLifetimeMs) / 1000),
        sub: this.userId(username),
      },
      this.secret,
    );
  }

  /**
   * Why the controller refuses an `Authorization` header (HTTP 401), or undefined when it
   * accepts it. A token another controller signed fails like a forged one.
   */
  refusal(header: string | undefined): string | undefined {
    if (header === undefined || header.trim() === '') {
      return 'No authorization token provided.';
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!bearer?.[1]) {
      return 'Malformed authorization header: expected a Bearer token.';
    }
    const check = checkToken(bearer[1], this.secret);
    if (!check.valid) {
      return check.reason === 'malformed' ? 'Malformed token.' : 'Invalid token.';
    }
    return check.claims.exp * 1000 <= this.now() ? 'Token expired.' : undefined;
  }

  /** The user's id, made up (and kept) on first mention, as if an administrator had created it. */
  userId(username: string): string {
    let id = this.userIds.get(username);
    if (id === undefined) {
      id = this.uuid();
      this.userIds.set(username, id);
    }
    return id;
  }

  addLab(request: AddLabRequest): LabView {
    const now = this.now();
    const owner = request.owner ?? DEFAULT_LAB_OWNER;
    this.userId(owner);
    const lab: CmlLab = {
      id: this.uuid(),
      title: request.title,
      ownerUsername: owner,
      nodes: Array.from({ length: request.nodes }, (_, index) => this.node(index)),
      created: now,
      state: request.state ?? 'DEFINED_ON_CORE',
      modified: now,
    };
    this.labsById.set(lab.id, lab);
    return labView(lab);
  }

  /** Every lab, in creation order. */
  labs(): CmlLab[] {
    return [...this.labsById.values()];
  }

  findLab(labId: string): CmlLab | undefined {
    return this.labsById.get(labId);
  }

  listLabs(): LabView[] {
    return this.labs().map(labView);
  }

  getLab(labId: string): LabView {
    return labView(this.requireLab(labId));
  }

  setLabState(labId: string, state: LabState): LabView {
    const lab = this.requireLab(labId);
    lab.state = state;
    lab.modified = this.now();
    return labView(lab);
  }

  removeLab(labId: string): void {
    this.requireLab(labId);
    this.labsById.delete(labId);
  }

  private requireLab(labId: string): CmlLab {
    const lab = this.labsById.get(labId);
    if (!lab) {
      throw new UnknownLabError(labId);
    }
    return lab;
  }

  private node(index: number): CmlNode {
    const nodeDefinition = NODE_DEFINITIONS[index % GRID_COLUMNS] ?? 'alpine';
    const row = Math.floor(index / GRID_COLUMNS);
    return {
      id: this.uuid(),
      label: `${nodeDefinition}-${row}`,
      x: (index % GRID_COLUMNS) * GRID_SPACING - 300,
      y: row * GRID_SPACING,
      nodeDefinition,
    };
  }

  private defaultSettings(): Settings {
    return {
      available: true,
      latencyMs: 0,
      license: 'valid',
      licenseExpiresAt: this.now() + DEFAULT_LICENSE_DAYS * DAY_MS,
      credentials: 'accepted',
      tokenLifetimeMs: this.defaults.tokenLifetimeMs,
    };
  }

  /** A version-4 UUID from the seeded generator. */
  private uuid(): string {
    const hex = this.random.hex(32);
    const variant = '89ab'[Number.parseInt(hex.charAt(16), 16) & 3] ?? '8';
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

function labView(lab: CmlLab): LabView {
  return {
    id: lab.id,
    title: lab.title,
    state: lab.state,
    owner: lab.ownerUsername,
    nodes: lab.nodes.length,
    created: new Date(lab.created).toISOString(),
    modified: new Date(lab.modified).toISOString(),
  };
}
