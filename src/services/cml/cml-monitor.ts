import type { Config } from '../../config';
import {
  CmlServiceStatus,
  RUNNING_LAB_STATES,
  type StoredLab,
  type StoredLicense,
} from '../../entities/cml.types';
import { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import { forEachLimited } from '../../lib/for-each-limited';
import { groupBy } from '../../lib/maps';
import type { DescribedInstance, InstanceAddresses } from '../aws/fleet.gateway';
import type { Logger } from '../../logger';
import {
  CmlAnswerError,
  CmlUnreachableError,
  type CmlClient,
  type CmlTarget,
  type LabTiles,
  type Licensing,
  type SystemInformation,
} from './cml-client';
import { CmlSetupError, credentialsFor } from './cml-credentials';
import type { CmlEndpoints } from './cml-endpoints';

/** What one poll learned of a worker's controller. */
export interface CmlObservation {
  status: CmlServiceStatus;
  error: string | null;
  /** Null: not read by this poll (a failure); the row keeps the last labs it saw. */
  labs: {
    list: StoredLab[];
    labsTotal: number;
    labsRunning: number;
    nodesTotal: number;
    nodesRunning: number;
  } | null;
  /** Null: not due this poll (CML_DETAILS_REFRESH), or not read. */
  details: { version: string | null; ready: boolean | null; license: StoredLicense | null } | null;
  /** Read again by this poll: a public address changes each time an instance starts. */
  addresses?: InstanceAddresses;
}

/** DescribeInstances for many ids, as the fleet gateway does it. */
export interface AddressLookup {
  describeInstances(region: string, instanceIds: readonly string[]): Promise<DescribedInstance[]>;
}

/** What the poll and the idle auto-stop ask of the controllers. */
export interface CmlReader {
  observe(workers: readonly Worker[]): Promise<Map<string, CmlObservation>>;
}

/** The controller of a worker that is not running: nothing is asked, nothing is known. */
export const NOT_APPLICABLE: CmlObservation = {
  status: CmlServiceStatus.NOT_APPLICABLE,
  error: null,
  labs: null,
  details: null,
};

/** A row keeps this many labs (the counts cover them all): a page of a dashboard, not a dump. */
export const MAX_STORED_LABS = 500;
/** Node states in which a node runs on the worker. */
const RUNNING_NODE_STATES = new Set(['STARTED', 'BOOTED']);
/** Workers named in one log line. */
const LOGGED_IDS = 20;

export interface CmlMonitorOptions {
  cml: Pick<
    Config['cml'],
    'credentials' | 'credentialsKey' | 'timeoutMs' | 'concurrency' | 'detailsRefreshMs'
  >;
  now?: () => number;
}

/**
 * Asks the controllers of a batch's running workers for their labs, and now and then for their
 * version, readiness and license: at most `concurrency` at once, each read bounded by
 * CML_TIMEOUT_MS, never throwing. A failure is logged when it starts or changes, not each poll.
 */
export class CmlMonitor {
  private readonly now: () => number;
  /** The failure last logged per worker, so that a dead controller is one line, not one per poll. */
  private readonly failing = new Map<string, string>();

  constructor(
    private readonly client: CmlClient,
    private readonly endpoints: CmlEndpoints,
    private readonly options: CmlMonitorOptions,
    private readonly logger: Logger,
    private readonly addresses?: AddressLookup,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** `workers` are the rows as the poll loaded them, before it stores what it saw. */
  async observe(workers: readonly Worker[]): Promise<Map<string, CmlObservation>> {
    const refreshed = await this.refreshAddresses(workers);
    const observations = new Map<string, CmlObservation>();
    await forEachLimited(workers, this.options.cml.concurrency, async (row) => {
      const addresses = refreshed.get(row.id);
      observations.set(row.id, { ...(await this.read(row, addresses)), addresses });
    });
    this.logChanges(workers, observations);
    return observations;
  }

  /**
   * A derived public endpoint is read again from EC2 when the instance has just started (its
   * public address is new) or has none yet: one DescribeInstances per region and 1,000 of them.
   */
  private async refreshAddresses(
    workers: readonly Worker[],
  ): Promise<Map<string, InstanceAddresses>> {
    const refreshed = new Map<string, InstanceAddresses>();
    if (!this.addresses || !this.endpoints.followsPublicAddress) {
      return refreshed;
    }
    const stale = workers.filter(
      (worker) =>
        worker.cmlEndpointOverride === null &&
        (worker.status !== WorkerStatus.RUNNING || this.endpoints.endpointOf(worker) === null),
    );
    for (const [region, inRegion] of groupBy(stale, (worker) => worker.awsRegion)) {
      try {
        const described = await this.addresses.describeInstances(
          region,
          inRegion.map((worker) => worker.awsInstanceId),
        );
        const byInstance = new Map(described.map((instance) => [instance.instanceId, instance]));
        for (const worker of inRegion) {
          const instance = byInstance.get(worker.awsInstanceId);
          if (instance) {
            refreshed.set(worker.id, instance.addresses);
          }
        }
      } catch (error) {
        this.logger.warn(
          { err: error, region, workers: inRegion.length },
          'could not read the public addresses of started instances; their last ones are used',
        );
      }
    }
    return refreshed;
  }

  private async read(worker: Worker, addresses?: InstanceAddresses): Promise<CmlObservation> {
    let target: CmlTarget;
    try {
      target = this.target(worker, addresses);
    } catch (error) {
      if (error instanceof CmlSetupError) {
        // Not asked at all is UNKNOWN: no alert for a fleet nobody gave credentials for.
        return failed(
          error.unconfigured ? CmlServiceStatus.UNKNOWN : CmlServiceStatus.ERROR,
          error.message,
        );
      }
      throw error;
    }
    const withDetails = this.detailsDue(worker);
    try {
      const [information, licensing, tiles] = await Promise.all([
        withDetails ? this.client.systemInformation(target) : undefined,
        withDetails ? this.client.licensing(target) : undefined,
        this.client.labTiles(target),
      ]);
      return {
        status: CmlServiceStatus.AVAILABLE,
        error: null,
        labs: toLabs(tiles),
        details: information && licensing ? toDetails(information, licensing) : null,
      };
    } catch (error) {
      if (error instanceof CmlUnreachableError) {
        return failed(CmlServiceStatus.UNAVAILABLE, error.message);
      }
      if (error instanceof CmlAnswerError) {
        return failed(CmlServiceStatus.ERROR, error.message);
      }
      return failed(
        CmlServiceStatus.ERROR,
        `CML read failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private target(worker: Worker, addresses: InstanceAddresses | undefined): CmlTarget {
    const endpoint = this.endpoints.endpointOf({ ...worker, ...addresses });
    if (!endpoint) {
      throw new CmlSetupError(
        'not asked: the instance has no address of the kind CML_ENDPOINT_FROM names; set cmlEndpoint',
        true,
      );
    }
    const { credentials, credentialsKey, timeoutMs } = this.options.cml;
    return {
      endpoint,
      credentials: credentialsFor(worker, credentials, credentialsKey),
      deadline: this.now() + timeoutMs,
    };
  }

  /** Until the controller says it is ready, and after any failure, every poll asks again. */
  private detailsDue(worker: Worker): boolean {
    return (
      worker.cmlDetailsAt === null ||
      worker.cmlReady !== true ||
      worker.cmlStatus !== CmlServiceStatus.AVAILABLE ||
      this.now() - worker.cmlDetailsAt.getTime() >= this.options.cml.detailsRefreshMs
    );
  }

  private logChanges(
    workers: readonly Worker[],
    observations: ReadonlyMap<string, CmlObservation>,
  ): void {
    const started = new Map<string, Worker[]>();
    const recovered: string[] = [];
    for (const worker of workers) {
      const error = observations.get(worker.id)?.error ?? null;
      const before = this.failing.get(worker.id);
      if (error === null) {
        if (before !== undefined) {
          this.failing.delete(worker.id);
          recovered.push(worker.id);
        }
      } else if (before !== error) {
        this.failing.set(worker.id, error);
        started.set(error, [...(started.get(error) ?? []), worker]);
      }
    }
    for (const [error, failing] of started) {
      this.logger.warn(
        {
          workers: failing.length,
          workerIds: failing.slice(0, LOGGED_IDS).map((worker) => worker.id),
          error,
        },
        "asking a worker's CML controller failed; said again only when the reason changes",
      );
    }
    if (recovered.length > 0) {
      this.logger.info(
        { workers: recovered.length, workerIds: recovered.slice(0, LOGGED_IDS) },
        'CML controllers answering again',
      );
    }
  }
}

function failed(status: CmlServiceStatus, error: string): CmlObservation {
  return { status, error, labs: null, details: null };
}

/**
 * The answer is the controller's to shape, and one bad figure must not fail the batch's
 * statement for every worker: what is not what CML sends is refused, or counted as nothing.
 */
function toLabs(tiles: LabTiles): NonNullable<CmlObservation['labs']> {
  if (!isObject(tiles) || !isObject(tiles.lab_tiles ?? {})) {
    throw new CmlAnswerError('CML answered the lab tiles with something else', 200);
  }
  const tileList = Object.entries(tiles.lab_tiles ?? {}).filter(
    (entry): entry is [string, NonNullable<LabTiles['lab_tiles']>[string]] => isObject(entry[1]),
  );
  const labs = tileList.map(([id, tile]) => {
    const nodes = Array.isArray(tile.topology?.nodes)
      ? tile.topology.nodes.filter(isObject)
      : undefined;
    const running = RUNNING_LAB_STATES.has(String(tile.state));
    const nodeCount = count(tile.node_count) ?? nodes?.length ?? 0;
    return {
      lab: {
        id: bounded(tile.id ?? id, 64),
        title: bounded(tile.lab_title ?? '', 256),
        state: bounded(tile.state ?? 'UNKNOWN', 32),
        owner: tile.owner_username ? bounded(tile.owner_username, 128) : null,
        nodeCount,
        modifiedAt: typeof tile.modified === 'string' ? validTime(tile.modified) : null,
      },
      running,
      nodeCount,
      // Without a topology, a running lab counts all its nodes as running.
      nodesRunning: nodes
        ? nodes.filter((node) => RUNNING_NODE_STATES.has(String(node.state))).length
        : running
          ? nodeCount
          : 0,
    };
  });
  labs.sort(
    (a, b) => Number(b.running) - Number(a.running) || a.lab.title.localeCompare(b.lab.title),
  );
  return {
    list: labs.slice(0, MAX_STORED_LABS).map((entry) => entry.lab),
    labsTotal: labs.length,
    labsRunning: labs.filter((entry) => entry.running).length,
    nodesTotal: labs.reduce((total, entry) => total + entry.nodeCount, 0),
    nodesRunning: labs.reduce((total, entry) => total + entry.nodesRunning, 0),
  };
}

function toDetails(
  information: SystemInformation,
  licensing: Licensing,
): NonNullable<CmlObservation['details']> {
  const registrationStatus = statusText(licensing.registration?.status);
  const authorizationStatus = statusText(licensing.authorization?.status);
  const expiries = [licensing.registration?.expires, licensing.authorization?.expires]
    .map((expires) => (typeof expires === 'string' ? validTime(expires) : null))
    .filter((time): time is string => time !== null)
    .sort();
  return {
    version: typeof information.version === 'string' ? information.version.slice(0, 64) : null,
    ready: typeof information.ready === 'boolean' ? information.ready : null,
    license: {
      registrationStatus,
      authorizationStatus,
      expiresAt: expiries[0] ?? null,
      valid: registrationStatus === 'COMPLETED' && authorizationStatus === 'IN_COMPLIANCE',
    },
  };
}

function statusText(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 64) : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A count CML could mean: a whole number, at most a million. */
function count(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 1_000_000
    ? (value as number)
    : undefined;
}

/** A controller's text as the row keeps it: a lab title is no place for a megabyte. */
function bounded(text: unknown, length: number): string {
  return String(text).slice(0, length);
}

/** CML writes licensing times as `2027-01-14 00:56:19`: UTC, without saying so. */
const ZONELESS_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/** As ISO text, or null for what is no time at all. */
function validTime(text: string | null | undefined): string | null {
  if (!text) {
    return null;
  }
  const time = new Date(ZONELESS_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
