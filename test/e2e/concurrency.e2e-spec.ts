import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import { Client as PgClient } from 'pg';
import { quoteIdentifier } from '../../src/database/sql';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import { EMULATOR_IMAGE_ID } from '../../src/emulator/fleet.state';
import {
  CreateWorkerDocument,
  ImportWorkerDocument,
  RefreshWorkerDocument,
  RemoveWorkerDocument,
  StartWorkerDocument,
  StopWorkerDocument,
  TerminateWorkerDocument,
  UpdateWorkerDocument,
  type UpdateWorkerInput,
} from '../generated/graphql';
import { request, requestData } from '../support/graphql-client';
import {
  pickByDraw,
  SeededRandom,
  seedFromEnvironment,
  weightedChoice,
} from '../support/seeded-random';
import {
  sharedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../support/service-process';
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database';

/*
 * Seeded concurrency test: several clients fire random, overlapping mutations at two service
 * processes sharing one PostgreSQL while both poll the fleet through a slow, sometimes
 * throttling AWS emulator, and one process is killed with SIGKILL on the way. Afterwards the
 * stored state is checked against six invariants. The seed is printed first; run again with
 * CONCURRENCY_SEED=<seed> to replay the same schedule of choices (timing still differs).
 */

const SEED = seedFromEnvironment('CONCURRENCY_SEED');
const REGION = 'eu-west-1';

const INTERVAL_MS = 3_000;
const LOCK_LIFETIME_MS = 4_000;
const BATCH_WINDOW_MS = 100;
const PROCESS_EVERY_MS = 200;

const INITIAL_FLEET = 24;
/**
 * This many of the initial workers are never removed, terminated or unmonitored (they still
 * get refreshed, updated, stopped and started), so that the gap check always covers workers
 * across the whole run, the kill included, however much the rest of the fleet churns.
 */
const STEADY_FLEET = 8;
/**
 * Below the number of poll jobs, so neither process can lock them all and both take part in
 * every cycle; at least half of it, so the survivor of the kill claims all the jobs left
 * unlocked in one round and has room for the dead process's jobs the moment their locks expire.
 */
const LOCK_LIMIT = 14;
/** What keeps LOCK_LIMIT < polled workers <= 2 * LOCK_LIMIT, whatever the draws (`bounded`). */
const MIN_POLLED = LOCK_LIMIT + 5;
const MAX_POLLED = 2 * LOCK_LIMIT;

const LATENCY_MIN_MS = 300;
const LATENCY_MAX_MS = 500;
/** The injected latency is drawn anew for each such slice of the run. */
const LATENCY_STEP_MS = 5_000;
const THROTTLE_PHASE_MS = 12_000;
/**
 * Two attempts per AWS call bound a poll's duration (below) well under the lock lifetime: with
 * the default three, two throttled attempts and their backoff could outlast the lock, and a
 * second process would then poll the same job again, a duplicate a correct service cannot avoid.
 */
const AWS_MAX_ATTEMPTS = 2;
/** The SDK's backoff before the second attempt of a throttled call: at most its 1 s base. */
const THROTTLE_BACKOFF_MAX_MS = 1_000;
/** PostgreSQL and the service's own work in a poll, generously. */
const DATABASE_ALLOWANCE_MS = 300;
/** The longest a correct poll batch takes, from its first job's start to stored. */
const WORST_POLL_MS =
  BATCH_WINDOW_MS +
  AWS_MAX_ATTEMPTS * LATENCY_MAX_MS +
  THROTTLE_BACKOFF_MAX_MS +
  DATABASE_ALLOWANCE_MS;
if (PROCESS_EVERY_MS + WORST_POLL_MS >= LOCK_LIFETIME_MS) {
  throw new Error('a correct poll could outlast its lock: the checks below would not hold');
}
/** How long after an updateWorker(monitoringEnabled: true) answers its immediate poll may land. */
const IMMEDIATE_POLL_MS = PROCESS_EVERY_MS + WORST_POLL_MS;

/**
 * Slack on top of interval + lock lifetime + batch window before a gap between two samples of
 * a worker counts as a missed poll, for what AWS and the job store add to a poll's time: the
 * scan that claims a due (or expired) job comes up to JOBS_PROCESS_EVERY_MS late, the injected
 * latency differs by up to 200 ms between two polls, a throttled call's retry waits up to
 * THROTTLE_BACKOFF_MAX_MS; a little PostgreSQL time on top.
 */
const AWS_SLACK_MS = 1_500;
const GAP_BUDGET_MS = INTERVAL_MS + LOCK_LIFETIME_MS + BATCH_WINDOW_MS + AWS_SLACK_MS;
/**
 * A throttled poll fails once both attempts are throttled and stores no sample; the lock
 * lifetime in the budget already covers one such miss, this covers a second in a row.
 */
const THROTTLE_GAP_ALLOWANCE_MS = INTERVAL_MS;

const CLIENTS = 5;
const RUN_MS = 62_000;
/** One interval plus the lock lifetime, and a second, for polls and locks to settle. */
const SETTLE_MS = INTERVAL_MS + LOCK_LIFETIME_MS + 1_000;
/** Between the two snapshots the poll-job check compares (see `pollJobViolations`). */
const SECOND_SNAPSHOT_AFTER_MS = 2_000;
const REQUEST_TIMEOUT_MS = 15_000;
const THINK_MIN_MS = 50;
const THINK_MAX_MS = 400;
/** When the updates of a volley (a burst of updates racing something) are sent. */
const VOLLEY_OFFSETS_MS = [0, 6, 12, 18];
const VOLLEY_SPAN_MS = 24;
/** Share of the operations on a worker id that aim at a removed worker, when there is one. */
const REMOVED_TARGET_SHARE = 0.1;
/** Nothing may appear in the kill's surroundings but the kill: no throttling that close. */
const KILL_QUIET_BEFORE_MS = 10_000;
const KILL_QUIET_AFTER_MS = LOCK_LIFETIME_MS + 2 * INTERVAL_MS;

const ACTION_WEIGHTS = {
  refresh: 16,
  rename: 7,
  setThresholds: 6,
  monitoringOff: 2,
  monitoringOn: 2,
  start: 6,
  stop: 6,
  terminate: 1,
  remove: 5,
  create: 4,
  importFresh: 4,
  importDuplicate: 2,
  importRemoved: 1,
  // Bursts: several requests at once on the same worker(s), timed to overlap where races live.
  updateVsRemove: 3,
  removeDuringPoll: 3,
  monitoringFlip: 2,
  importTwice: 2,
  updateDuringPoll: 4,
};
type Action = keyof typeof ACTION_WEIGHTS;
const GROWS = new Set<Action>([
  'create',
  'importFresh',
  'importRemoved',
  'importTwice',
  'monitoringOn',
]);
const SHRINKS = new Set<Action>([
  'remove',
  'terminate',
  'monitoringOff',
  'updateVsRemove',
  'removeDuringPoll',
  'monitoringFlip',
]);

/** Every action takes the same draws, used or not, so one choice never shifts the next. */
const DRAW_NAMES = [
  'kind',
  'slot',
  'pick',
  'pick2',
  'removed',
  'variant',
  'value1',
  'value2',
  'delay',
  'think',
] as const;
type Draws = Record<(typeof DRAW_NAMES)[number], number>;

type Op =
  | 'createWorker'
  | 'importWorker'
  | 'updateWorker'
  | 'removeWorker'
  | 'refreshWorker'
  | 'startWorker'
  | 'stopWorker'
  | 'terminateWorker';
type Lifecycle = 'startWorker' | 'stopWorker' | 'terminateWorker';

/** The refusals each operation may answer with; anything else is a failure of the service. */
const ACCEPTABLE_CODES: Record<Op, readonly string[]> = {
  createWorker: ['UPSTREAM_UNAVAILABLE', 'BAD_USER_INPUT'],
  importWorker: ['CONFLICT', 'UPSTREAM_UNAVAILABLE', 'BAD_USER_INPUT'],
  updateWorker: ['NOT_FOUND', 'BAD_USER_INPUT'],
  removeWorker: [],
  refreshWorker: ['NOT_FOUND', 'UPSTREAM_UNAVAILABLE'],
  startWorker: ['NOT_FOUND', 'CONFLICT', 'UPSTREAM_UNAVAILABLE'],
  stopWorker: ['NOT_FOUND', 'CONFLICT', 'UPSTREAM_UNAVAILABLE'],
  terminateWorker: ['NOT_FOUND', 'CONFLICT', 'UPSTREAM_UNAVAILABLE'],
};

interface Answer {
  op: Op;
  client: number;
  service: ServiceProcess;
  workerId?: string;
  sentAt: number;
  answeredAt: number;
  /** extensions.code of each error; empty when the operation succeeded. */
  codes: string[];
  /** Set when no GraphQL answer came (connection lost, timeout, not JSON): why. */
  lost?: string;
  removed?: boolean;
  /** refreshWorker's lastPolledAt, in epoch ms. */
  lastPolledAt?: number;
  /** updateWorker's monitoringEnabled input. */
  monitoringEnabled?: boolean;
  /** importWorker of an instance the test saw registered to this worker. */
  duplicateOf?: string;
  /** importWorker sent to both processes at once: the two answers share this number. */
  importPair?: number;
}

const succeeded = (answer: Answer) => !answer.lost && answer.codes.length === 0;

interface Plan {
  victim: 0 | 1;
  /** The kill comes at the first interval boundary after this, plus `killOffsetMs`. */
  killAfterMs: number;
  /** After the boundary: the batch is closed and waits on AWS (latency at least 300 ms). */
  killOffsetMs: number;
  throttle: { fromMs: number; toMs: number; rate: number };
  /** One injected latency per LATENCY_STEP_MS of the run and the settling after it. */
  latenciesMs: number[];
}

function drawPlan(random: SeededRandom): Plan {
  const victim = random.next() < 0.5 ? 0 : 1;
  const killAfterMs = random.int(16_000, 30_000);
  const killOffsetMs = random.int(BATCH_WINDOW_MS + 50, BATCH_WINDOW_MS + LATENCY_MIN_MS - 50);
  const placement = random.next();
  const jitter = random.int(0, 2_000);
  const rate = 0.08 + random.next() * 0.07;
  const throttleFirst = killAfterMs - KILL_QUIET_BEFORE_MS - THROTTLE_PHASE_MS >= 2_000;
  const fromMs =
    throttleFirst && placement < 0.5
      ? killAfterMs - KILL_QUIET_BEFORE_MS - THROTTLE_PHASE_MS - jitter / 2
      : killAfterMs + INTERVAL_MS + KILL_QUIET_AFTER_MS + jitter;
  const slices = Math.ceil((RUN_MS + 60_000) / LATENCY_STEP_MS);
  return {
    victim,
    killAfterMs,
    killOffsetMs,
    throttle: { fromMs, toMs: fromMs + THROTTLE_PHASE_MS, rate: Math.round(rate * 1000) / 1000 },
    latenciesMs: Array.from({ length: slices }, () => random.int(LATENCY_MIN_MS, LATENCY_MAX_MS)),
  };
}

/** The fault rule in force `elapsedMs` into the run. */
function faultsAt(plan: Plan, elapsedMs: number) {
  const slice = Math.min(
    plan.latenciesMs.length - 1,
    Math.max(0, Math.floor(elapsedMs / LATENCY_STEP_MS)),
  );
  const throttled = elapsedMs >= plan.throttle.fromMs && elapsedMs < plan.throttle.toMs;
  return { latencyMs: plan.latenciesMs[slice], throttleRate: throttled ? plan.throttle.rate : 0 };
}

/** The two service slots; a slot is empty while its process is dead or still starting. */
class ServicePool {
  private readonly slots: (ServiceProcess | undefined)[];
  rerouted = 0;

  constructor(services: ServiceProcess[]) {
    this.slots = [...services];
  }

  /** The process a draw aims at, or the other one while it is down. */
  route(draw: number): { slot: number; service: ServiceProcess } {
    const wanted = draw < 0.5 ? 0 : 1;
    const service = this.slots[wanted];
    if (service) {
      return { slot: wanted, service };
    }
    this.rerouted += 1;
    return { slot: 1 - wanted, service: this.slots[1 - wanted] as ServiceProcess };
  }

  other(slot: number): ServiceProcess {
    return this.slots[1 - slot] ?? (this.slots[slot] as ServiceProcess);
  }

  takeDown(slot: number): ServiceProcess {
    const service = this.slots[slot] as ServiceProcess;
    this.slots[slot] = undefined;
    return service;
  }

  bringUp(slot: number, service: ServiceProcess): void {
    this.slots[slot] = service;
  }
}

interface KnownWorker {
  id: string;
  instanceId: string;
}

/** What the clients know of the registry, from the answers they got. */
class Registry {
  readonly alive = new Map<string, KnownWorker>();
  readonly removed = new Map<string, KnownWorker & { removedAt: number }>();
  /** Every worker a removeWorker was sent for, with the first time it was. */
  readonly removeRequestedAt = new Map<string, number>();
  readonly monitoringOffRequested = new Set<string>();
  /** The monitoringEnabled each worker was last asked for. */
  readonly monitoring = new Map<string, boolean>();
  readonly terminateRequested = new Set<string>();
  readonly steady = new Set<string>();

  add(worker: KnownWorker, steady = false): void {
    this.alive.set(worker.id, worker);
    if (steady) {
      this.steady.add(worker.id);
    }
  }

  markRemoved(id: string, at: number): void {
    const worker = this.alive.get(id) ?? this.removed.get(id);
    this.alive.delete(id);
    if (worker && !this.removed.has(id)) {
      this.removed.set(id, { ...worker, removedAt: at });
    }
  }

  /** A registered worker; `expendable`: one outside the steady fleet. */
  aliveByDraw(draw: number, expendable = false): KnownWorker | undefined {
    const workers = [...this.alive.values()];
    return pickByDraw(
      draw,
      expendable ? workers.filter((worker) => !this.steady.has(worker.id)) : workers,
    );
  }

  /** Mostly a worker whose monitoring the test turned off, to keep the polled fleet steady. */
  unmonitoredByDraw(draws: Draws): KnownWorker | undefined {
    const off = [...this.alive.values()].filter(
      (worker) => this.monitoring.get(worker.id) === false,
    );
    return draws.pick2 < 0.8 && off.length > 0
      ? pickByDraw(draws.pick, off)
      : this.targetByDraw(draws);
  }

  /** The registered workers the test expects to be polled. */
  polledCount(): number {
    return [...this.alive.keys()].filter(
      (id) => !this.terminateRequested.has(id) && this.monitoring.get(id) !== false,
    ).length;
  }

  /** Mostly a registered worker, sometimes (REMOVED_TARGET_SHARE) a removed one. */
  targetByDraw(draws: Draws, expendable = false): KnownWorker | undefined {
    if (draws.removed < REMOVED_TARGET_SHARE && this.removed.size > 0) {
      return pickByDraw(draws.pick, [...this.removed.values()]);
    }
    return this.aliveByDraw(draws.pick, expendable);
  }
}

interface WorkerRow {
  id: string;
  status: string;
  monitoringEnabled: boolean;
  lastPolledAt: Date | null;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
  createdAt: Date;
}

interface SampleRow {
  workerId: string;
  collectedAt: Date;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
}

interface JobRow {
  workerId: string;
  nextRunAt: Date | null;
}

/** A sample's time, and whether a check has set it aside. */
interface TimedSample {
  at: number;
  excluded: boolean;
}

interface Snapshot {
  at: number;
  workers: WorkerRow[];
  samples: SampleRow[];
  jobs: JobRow[];
}

interface Check {
  title: string;
  /** The numbers behind the verdict, for the summary. */
  detail: string;
  /** Up to a few violations, described; empty when the invariant holds. */
  examples: string[];
}

const MAX_EXAMPLES = 8;

describe('concurrent clients, two polling processes, a slow AWS and a kill -9', () => {
  const schema = uniqueSchemaName();
  const plan = drawPlan(new SeededRandom(SEED).fork('plan'));
  const registry = new Registry();
  const answers: Answer[] = [];
  const faultsInjected = new Map<string, number>();
  const faultLog: string[] = [];
  const services: ServiceProcess[] = [];
  const firstDraws: string[][] = [];
  let emulator: RunningEmulator;
  let db: PgClient;
  let pool: ServicePool;
  let startedAt = 0;
  let stopAt = 0;
  let killed: ServiceProcess | undefined;
  let killedAt = 0;
  let replacementReadyAt = 0;
  /** The workers whose poll jobs were locked when the kill came, by the victim or not. */
  let lockedAtKill: { workerId: string; byVictim: boolean }[] = [];
  let nextImportPair = 0;
  let checks: Check[] = [];

  const elapsed = (at: number) => `+${((at - startedAt) / 1000).toFixed(1)} s`;
  const log = (line: string) => process.stdout.write(`[concurrency] ${line}\n`);

  const startService = async () => {
    const service = await startServiceProcess({
      ...(await sharedServiceEnv({
        schema,
        emulatorEndpoint: emulator.endpoint,
        region: REGION,
        intervalMs: INTERVAL_MS,
      })),
      JOBS_LOCK_LIFETIME_MS: String(LOCK_LIFETIME_MS),
      JOBS_LOCK_LIMIT: String(LOCK_LIMIT),
      JOBS_PROCESS_EVERY_MS: String(PROCESS_EVERY_MS),
      WORKER_POLL_BATCH_WINDOW_MS: String(BATCH_WINDOW_MS),
      WORKER_DEFAULT_AMI_ID: EMULATOR_IMAGE_ID,
      AWS_MAX_ATTEMPTS: String(AWS_MAX_ATTEMPTS),
      // The clients' mutation rate is the point of the test, not something to refuse.
      GRAPHQL_MUTATION_RATE_LIMIT: '0',
    });
    services.push(service);
    return service;
  };

  /** Counts every throttling and server error the emulator injects, per AWS action. */
  const countInjectedFaults = () => {
    const decide = emulator.fleet.decideFault.bind(emulator.fleet);
    emulator.fleet.decideFault = (action: string) => {
      const decision = decide(action);
      if (decision.outcome !== 'none') {
        const key = `${action} ${decision.outcome}`;
        faultsInjected.set(key, (faultsInjected.get(key) ?? 0) + 1);
      }
      return decision;
    };
  };

  // ---- requests -------------------------------------------------------------------------

  async function call<TData, TVariables>(
    op: Op,
    client: number,
    service: ServiceProcess,
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    fields: Partial<Answer> = {},
  ): Promise<{ answer: Answer; data?: TData }> {
    const sentAt = Date.now();
    let answer: Answer;
    let data: TData | undefined;
    try {
      const response = await withTimeout(
        request(service.graphqlUrl, document, variables),
        REQUEST_TIMEOUT_MS,
      );
      data = response.data ?? undefined;
      answer = {
        op,
        client,
        service,
        sentAt,
        answeredAt: Date.now(),
        codes: (response.errors ?? []).map(codeOf),
        ...fields,
      };
      if (!data && answer.codes.length === 0) {
        answer.codes = [`HTTP_${response.status}_WITHOUT_DATA`];
      }
    } catch (error) {
      answer = {
        op,
        client,
        service,
        sentAt,
        answeredAt: Date.now(),
        codes: [],
        lost: describeError(error),
        ...fields,
      };
    }
    answers.push(answer);
    return { answer, data };
  }

  const refresh = async (client: number, service: ServiceProcess, id: string) => {
    const { answer, data } = await call(
      'refreshWorker',
      client,
      service,
      RefreshWorkerDocument,
      { id },
      { workerId: id },
    );
    const polledAt = data?.refreshWorker.lastPolledAt;
    if (polledAt) {
      answer.lastPolledAt = Date.parse(polledAt);
    }
  };

  const update = async (
    client: number,
    service: ServiceProcess,
    id: string,
    input: UpdateWorkerInput,
  ) => {
    if (input.monitoringEnabled === false) {
      registry.monitoringOffRequested.add(id);
    }
    if (input.monitoringEnabled != null) {
      registry.monitoring.set(id, input.monitoringEnabled);
    }
    await call(
      'updateWorker',
      client,
      service,
      UpdateWorkerDocument,
      { id, input },
      { workerId: id, monitoringEnabled: input.monitoringEnabled ?? undefined },
    );
  };

  const remove = async (client: number, service: ServiceProcess, id: string) => {
    if (!registry.removeRequestedAt.has(id)) {
      registry.removeRequestedAt.set(id, Date.now());
    }
    const { answer, data } = await call(
      'removeWorker',
      client,
      service,
      RemoveWorkerDocument,
      { id },
      { workerId: id },
    );
    if (data) {
      answer.removed = data.removeWorker;
      if (data.removeWorker) {
        registry.markRemoved(id, answer.answeredAt);
      }
    }
  };

  const LIFECYCLE_DOCUMENTS: Record<Lifecycle, TypedDocumentNode<unknown, { id: string }>> = {
    startWorker: StartWorkerDocument,
    stopWorker: StopWorkerDocument,
    terminateWorker: TerminateWorkerDocument,
  };

  const drive = async (client: number, service: ServiceProcess, id: string, op: Lifecycle) => {
    if (op === 'terminateWorker') {
      registry.terminateRequested.add(id);
    }
    await call(op, client, service, LIFECYCLE_DOCUMENTS[op], { id }, { workerId: id });
  };

  const create = async (client: number, service: ServiceProcess, name: string, small: boolean) => {
    const { data } = await call('createWorker', client, service, CreateWorkerDocument, {
      input: { name, ...(small ? { instanceType: 't3.medium' } : {}) },
    });
    if (data) {
      registry.add({ id: data.createWorker.id, instanceId: data.createWorker.awsInstanceId });
    }
  };

  const importInstance = async (
    client: number,
    service: ServiceProcess,
    instanceId: string,
    fields: Partial<Answer> = {},
  ) => {
    const { answer, data } = await call(
      'importWorker',
      client,
      service,
      ImportWorkerDocument,
      { input: { awsInstanceId: instanceId } },
      fields,
    );
    if (data) {
      answer.workerId = data.importWorker.id;
      registry.add({ id: data.importWorker.id, instanceId });
    }
  };

  const freshInstance = (running: boolean) =>
    emulator.fleet.addInstances({ region: REGION, state: running ? 'running' : 'stopped' })[0]
      .instanceId;

  // ---- the clients ----------------------------------------------------------------------

  /** Keeps the polled fleet between MIN_POLLED and MAX_POLLED whatever the draws. */
  const bounded = (action: Action): Action => {
    if (registry.polledCount() >= MAX_POLLED && GROWS.has(action)) {
      return 'importDuplicate';
    }
    if (registry.polledCount() <= MIN_POLLED && SHRINKS.has(action)) {
      return 'refresh';
    }
    return action;
  };

  const latencyNow = () => faultsAt(plan, Date.now() - startedAt).latencyMs;

  const percent = (draw: number) => Math.round(50 + draw * 500) / 10;

  /** The context an action runs in: who sends it, to which processes, with which draws. */
  interface Turn {
    client: number;
    name: string;
    service: ServiceProcess;
    other: ServiceProcess;
    draws: Draws;
  }

  async function act(client: number, seq: number, draws: Draws): Promise<void> {
    const action = bounded(weightedChoice(draws.kind, ACTION_WEIGHTS));
    const { slot, service } = pool.route(draws.slot);
    const turn: Turn = {
      client,
      name: `w-${client}-${seq}`,
      service,
      other: pool.other(slot),
      draws,
    };
    const target = registry.targetByDraw(draws);
    const alive = registry.aliveByDraw(draws.pick);
    // Removal, termination and monitoring off spare the steady fleet.
    const expendableTarget = registry.targetByDraw(draws, true);
    const expendable = registry.aliveByDraw(draws.pick, true);
    switch (action) {
      case 'create':
        return create(client, service, turn.name, draws.variant < 0.5);
      case 'importFresh':
        return importInstance(client, service, freshInstance(draws.variant < 0.75));
      case 'importRemoved': {
        const removed = pickByDraw(draws.pick, [...registry.removed.values()]);
        const instanceId = removed?.instanceId ?? freshInstance(draws.variant < 0.75);
        return importInstance(client, service, instanceId);
      }
      case 'importTwice':
        return importTwice(turn);
      case 'importDuplicate':
        return (
          alive && importInstance(client, service, alive.instanceId, { duplicateOf: alive.id })
        );
      case 'refresh':
        return target && refresh(client, service, target.id);
      case 'rename':
        // Now and then a blank name: BAD_USER_INPUT.
        return (
          target &&
          update(client, service, target.id, { name: draws.variant < 0.05 ? ' ' : turn.name })
        );
      case 'setThresholds': {
        // Now and then a threshold out of (0, 100]: BAD_USER_INPUT.
        const cpu = draws.variant < 0.05 ? 0 : percent(draws.value1);
        return (
          target &&
          update(client, service, target.id, { thresholds: { cpu, memory: percent(draws.value2) } })
        );
      }
      case 'monitoringOff':
        return (
          expendableTarget &&
          update(client, service, expendableTarget.id, { monitoringEnabled: false })
        );
      case 'monitoringOn': {
        const off = registry.unmonitoredByDraw(draws);
        return off && update(client, service, off.id, { monitoringEnabled: true });
      }
      case 'start':
      case 'stop':
        return target && drive(client, service, target.id, `${action}Worker`);
      case 'terminate':
        return expendableTarget && drive(client, service, expendableTarget.id, 'terminateWorker');
      case 'remove':
        return expendableTarget && remove(client, service, expendableTarget.id);
      case 'updateVsRemove':
        return expendable && updateVsRemove(turn, expendable.id);
      case 'removeDuringPoll':
        return expendable && removeDuringPoll(turn, expendable.id);
      case 'monitoringFlip':
        return expendable && monitoringFlip(turn, expendable.id);
      case 'updateDuringPoll':
        return alive && updateDuringPoll(turn, alive.id);
    }
  }

  async function importTwice({ client, service, other }: Turn): Promise<void> {
    const instanceId = freshInstance(true);
    const importPair = (nextImportPair += 1);
    await Promise.all([
      importInstance(client, service, instanceId, { importPair }),
      importInstance(client, other, instanceId, { importPair }),
    ]);
  }

  /** A volley of updates on one process, a removal somewhere inside it on the other. */
  async function updateVsRemove({ client, service, other, draws, name }: Turn, id: string) {
    await Promise.all([
      ...VOLLEY_OFFSETS_MS.map((offsetMs, index) =>
        sleep(offsetMs).then(() => update(client, service, id, { name: `${name}-${index}` })),
      ),
      sleep(draws.delay * VOLLEY_SPAN_MS).then(() => remove(client, other, id)),
    ]);
  }

  /** Two refreshes land in one batch; one of the workers is removed while it waits on AWS. */
  async function removeDuringPoll({ client, service, other, draws }: Turn, id: string) {
    const polled = registry.aliveByDraw(draws.pick2);
    if (!polled || polled.id === id) {
      return;
    }
    const delayMs = BATCH_WINDOW_MS + 40 + draws.delay * (latencyNow() - 100);
    await Promise.all([
      refresh(client, service, polled.id),
      refresh(client, service, id),
      sleep(delayMs).then(() => remove(client, draws.variant < 0.5 ? other : service, id)),
    ]);
  }

  async function monitoringFlip({ client, service, other, draws }: Turn, id: string) {
    await Promise.all([
      update(client, service, id, { monitoringEnabled: false }),
      sleep(draws.delay * 10).then(() => update(client, other, id, { monitoringEnabled: true })),
    ]);
  }

  /** A volley of updates around the moment the refresh's batch is stored. */
  async function updateDuringPoll({ client, service, other, draws }: Turn, id: string) {
    const delayMs = BATCH_WINDOW_MS + latencyNow() + draws.delay * 120 - 60;
    const updater = draws.variant < 0.5 ? other : service;
    await Promise.all([
      refresh(client, service, id),
      ...VOLLEY_OFFSETS_MS.map((offsetMs, index) =>
        sleep(delayMs + offsetMs).then(() =>
          update(client, updater, id, { thresholds: { cpu: percent(draws.value1) - index } }),
        ),
      ),
    ]);
  }

  async function runClient(client: number, random: SeededRandom): Promise<void> {
    const drawn: string[] = [];
    firstDraws[client] = drawn;
    for (let seq = 0; Date.now() < stopAt; seq += 1) {
      const draws = Object.fromEntries(DRAW_NAMES.map((name) => [name, random.next()])) as Draws;
      if (drawn.length < 6) {
        drawn.push(weightedChoice(draws.kind, ACTION_WEIGHTS));
      }
      await act(client, seq, draws);
      await sleep(THINK_MIN_MS + draws.think * (THINK_MAX_MS - THINK_MIN_MS));
    }
  }

  // ---- faults and the kill --------------------------------------------------------------

  async function driveFaults(): Promise<void> {
    let applied = '';
    while (Date.now() < stopAt) {
      const rule = faultsAt(plan, Date.now() - startedAt);
      const key = JSON.stringify(rule);
      if (key !== applied) {
        emulator.fleet.setFaults({ action: '*', ...rule });
        faultLog.push(`${elapsed(Date.now())} ${rule.latencyMs} ms, throttle ${rule.throttleRate}`);
        applied = key;
      }
      await sleep(100);
    }
    emulator.fleet.setFaults({ action: '*', latencyMs: faultsAt(plan, RUN_MS).latencyMs });
  }

  async function killAndReplace(): Promise<void> {
    await sleep(startedAt + plan.killAfterMs - Date.now());
    const boundary = (Math.floor(Date.now() / INTERVAL_MS) + 1) * INTERVAL_MS;
    await sleep(boundary + plan.killOffsetMs - Date.now());
    const victim = pool.takeDown(plan.victim);
    killed = victim;
    await victim.kill();
    killedAt = Date.now();
    lockedAtKill = await lockedPollJobs(victim.pid);
    const replacement = await startService();
    pool.bringUp(plan.victim, replacement);
    replacementReadyAt = Date.now();
  }

  /** Agenda names a process `host:pid:random` in the jobs it locks. */
  async function lockedPollJobs(pid: number) {
    const { rows } = await db.query<{ workerId: string; byVictim: boolean }>(
      `SELECT data->>'workerId' AS "workerId", last_modified_by LIKE $1 AS "byVictim"
       FROM ${table('agenda_jobs')}
       WHERE name = 'poll-worker' AND locked_at IS NOT NULL`,
      [`%:${pid}:%`],
    );
    return rows;
  }

  /**
   * For the workers the victim had locked: how long after the kill their next sample came, the
   * gap around the kill, and for how many the interval the kill fell in was served at all.
   */
  function recoveryAfterKill(snapshot: Snapshot): string {
    const present = new Set(snapshot.workers.map((worker) => worker.id));
    const held = lockedAtKill
      .filter((job) => job.byVictim && present.has(job.workerId))
      .map((job) => job.workerId);
    const byWorker = samplesByWorker(snapshot);
    const killBucket = Math.floor(killedAt / INTERVAL_MS);
    const after: number[] = [];
    const gaps: number[] = [];
    let served = 0;
    for (const workerId of held) {
      const times = (byWorker.get(workerId) ?? []).map((sample) => sample.at);
      const next = times.find((at) => at > killedAt);
      const previous = times.filter((at) => at <= killedAt).pop();
      if (next !== undefined) {
        after.push(next - killedAt);
        gaps.push(previous === undefined ? 0 : next - previous);
      }
      served += times.some((at) => at > killedAt && Math.floor(at / INTERVAL_MS) === killBucket)
        ? 1
        : 0;
    }
    const range = (values: number[]) =>
      values.length === 0
        ? 'none'
        : `${(Math.min(...values) / 1000).toFixed(1)}-${(Math.max(...values) / 1000).toFixed(1)} s`;
    const victimJobs = lockedAtKill.filter((job) => job.byVictim).length;
    return (
      `${victimJobs} poll jobs locked by it (${lockedAtKill.length} by both), ` +
      `${held.length} of their workers still registered at the end ` +
      `(${held.filter((id) => registry.steady.has(id)).length} steady): polled again ` +
      `${range(after)} after the kill, gap around the kill ${range(gaps)}, ` +
      `the kill's interval served for ${served}`
    );
  }

  // ---- the stored state -----------------------------------------------------------------

  const table = (name: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;

  /** Everything the checks read, from one consistent snapshot of the database. */
  async function takeSnapshot(): Promise<Snapshot> {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const { rows: clock } = await db.query<{ at: Date }>('SELECT now() AS at');
      const { rows: workers } = await db.query<WorkerRow>(
        `SELECT id, status, "monitoringEnabled", "lastPolledAt", "cpuUtilization",
                "memoryUtilization", "createdAt"
         FROM ${table('worker')}`,
      );
      const { rows: samples } = await db.query<SampleRow>(
        `SELECT "workerId", "collectedAt", "cpuUtilization", "memoryUtilization"
         FROM ${table('metric_sample')} ORDER BY "workerId", "collectedAt"`,
      );
      const { rows: jobs } = await db.query<JobRow>(
        `SELECT data->>'workerId' AS "workerId", next_run_at AS "nextRunAt"
         FROM ${table('agenda_jobs')} WHERE name = 'poll-worker'`,
      );
      return { at: clock[0].at.getTime(), workers, samples, jobs };
    } finally {
      await db.query('COMMIT');
    }
  }

  // ---- setup, run, checks ---------------------------------------------------------------

  beforeAll(async () => {
    log(`seed ${SEED} (replay: CONCURRENCY_SEED=${SEED})`);
    emulator = await startEmulator({ defaultRegion: REGION, seed: SEED });
    countInjectedFaults();
    db = new PgClient({ connectionString: testDatabaseUrl() });
    await db.connect();
    pool = new ServicePool(await Promise.all([startService(), startService()]));
    await registerInitialFleet(new SeededRandom(SEED).fork('fleet'));

    const eventLoop = monitorEventLoopDelay({ resolution: 20 });
    eventLoop.enable();
    startedAt = Date.now();
    stopAt = startedAt + RUN_MS;
    const root = new SeededRandom(SEED);
    await Promise.all([
      ...Array.from({ length: CLIENTS }, (_, client) =>
        runClient(client, root.fork(`client-${client}`)),
      ),
      driveFaults(),
      killAndReplace(),
    ]);
    const opsEndedAt = Date.now();
    await sleep(SETTLE_MS);
    const snapshot = await takeSnapshot();
    await sleep(SECOND_SNAPSHOT_AFTER_MS);
    const later = await takeSnapshot();
    eventLoop.disable();

    checks = [
      removedWorkersAbsent(snapshot),
      oneJobPerMonitoredWorker(snapshot, later),
      oneScheduledSamplePerInterval(snapshot),
      rowsMatchNewestSample(snapshot),
      noUnexpectedAnswers(),
      noMissedPolls(snapshot),
    ];
    printSummary(snapshot, opsEndedAt, eventLoop.max / 1e6);
  }, 165_000);

  afterAll(async () => {
    await Promise.allSettled(services.filter((s) => s !== killed).map((s) => s.stop()));
    await db?.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await db?.end();
    await emulator?.close();
  }, 15_000);

  async function registerInitialFleet(random: SeededRandom): Promise<void> {
    const instanceIds = Array.from({ length: INITIAL_FLEET }, () =>
      freshInstance(random.next() < 0.85),
    );
    // Before any latency is injected, a few at a time, alternating processes.
    for (let index = 0; index < instanceIds.length; index += 7) {
      await Promise.all(
        instanceIds.slice(index, index + 7).map(async (instanceId, offset) => {
          const service = services[(index + offset) % 2];
          const { importWorker } = await requestData(service.graphqlUrl, ImportWorkerDocument, {
            input: { awsInstanceId: instanceId },
          });
          registry.add({ id: importWorker.id, instanceId }, index + offset < STEADY_FLEET);
        }),
      );
    }
  }

  // 1 ------------------------------------------------------------------------------------

  function removedWorkersAbsent(snapshot: Snapshot): Check {
    const present = new Set(snapshot.workers.map((worker) => worker.id));
    const back = [...registry.removed.values()].filter((worker) => present.has(worker.id));
    return {
      title: '1. no removed worker exists',
      detail: `${back.length} of ${registry.removed.size} workers removeWorker answered true for are in the worker table`,
      examples: back.map((worker) => `${worker.id} (removed ${elapsed(worker.removedAt)})`),
    };
  }

  // 2 ------------------------------------------------------------------------------------

  /**
   * A worker seen TERMINATED by a poll loses its job right after the batch is stored, in a
   * statement of its own: a snapshot can fall in between. Only what both snapshots, taken
   * SECOND_SNAPSHOT_AFTER_MS apart with no client running, show alike counts.
   */
  function oneJobPerMonitoredWorker(snapshot: Snapshot, later: Snapshot): Check {
    const first = pollJobViolations(snapshot);
    const second = pollJobViolations(later);
    const lasting = [...first].filter(([id, why]) => second.get(id) === why);
    const resurrected = lasting.filter(([id]) => registry.removed.has(id)).length;
    const wanted = snapshot.workers.filter(isPollable).length;
    return {
      title: '2. one poll job per monitored, non-terminated worker, and none for any other',
      detail:
        `${lasting.length} workers wrong in both snapshots (${first.size} in the first, ` +
        `${second.size} in the second; ${resurrected} of them removed workers back in the table); ` +
        `${wanted} pollable workers, ${snapshot.jobs.length} poll jobs`,
      examples: lasting.map(([id, why]) => `${id}: ${why}`),
    };
  }

  function pollJobViolations(snapshot: Snapshot): Map<string, string> {
    const jobs = new Map<string, number>();
    for (const job of snapshot.jobs) {
      jobs.set(job.workerId, (jobs.get(job.workerId) ?? 0) + 1);
    }
    const violations = new Map<string, string>();
    for (const worker of snapshot.workers) {
      const count = jobs.get(worker.id) ?? 0;
      const state = `${worker.status}, ${worker.monitoringEnabled ? 'monitored' : 'unmonitored'}`;
      if (isPollable(worker) ? count !== 1 : count > 0) {
        violations.set(worker.id, `${state}, ${count} poll jobs`);
      }
    }
    const workers = new Set(snapshot.workers.map((worker) => worker.id));
    for (const [workerId, count] of jobs) {
      if (!workers.has(workerId)) {
        violations.set(workerId, `no such worker, ${count} poll jobs`);
      }
    }
    return violations;
  }

  // 3 ------------------------------------------------------------------------------------

  /**
   * Scheduled polls give one sample per worker and interval. Other samples are legitimate and
   * set aside first: each refresh's own (the one at the lastPolledAt it answered; should a
   * concurrent poll have moved lastPolledAt meanwhile, the newest one within the request), the
   * one a refresh cut short by the kill may have stored, and the immediate poll that
   * updateWorker(monitoringEnabled: true) asks for.
   */
  function oneScheduledSamplePerInterval(snapshot: Snapshot): Check {
    const byWorker = samplesByWorker(snapshot);
    const setAside = { refresh: 0, refreshByWindow: 0, refreshCutByKill: 0, monitoringOn: 0 };
    /** Sets aside one sample of the worker, the first `choose` picks; false when none fits. */
    const setAsideOne = (
      workerId: string,
      choose: (candidates: TimedSample[]) => TimedSample | undefined,
    ) => {
      const sample = choose((byWorker.get(workerId) ?? []).filter((s) => !s.excluded));
      if (sample) {
        sample.excluded = true;
      }
      return sample !== undefined;
    };
    const at = (time: number) => (candidates: TimedSample[]) =>
      candidates.find((s) => s.at === time);
    const within =
      (from: number, to: number, pick: 'first' | 'last') => (candidates: TimedSample[]) => {
        const inside = candidates.filter((s) => s.at >= from && s.at <= to);
        return pick === 'first' ? inside[0] : inside[inside.length - 1];
      };

    const refreshes = answers.filter((a) => a.op === 'refreshWorker' && a.workerId);
    const answered = refreshes.filter((a) => a.lastPolledAt !== undefined);
    const unmatched: Answer[] = [];
    for (const a of answered) {
      if (setAsideOne(a.workerId as string, at(a.lastPolledAt as number))) {
        setAside.refresh += 1;
      } else {
        unmatched.push(a);
      }
    }
    for (const a of unmatched) {
      if (setAsideOne(a.workerId as string, within(a.sentAt, a.answeredAt, 'last'))) {
        setAside.refreshByWindow += 1;
      }
    }
    for (const a of refreshes.filter((r) => r.lost)) {
      if (setAsideOne(a.workerId as string, within(a.sentAt, a.answeredAt, 'last'))) {
        setAside.refreshCutByKill += 1;
      }
    }
    for (const a of answers.filter((u) => u.op === 'updateWorker' && u.monitoringEnabled)) {
      const until = a.answeredAt + IMMEDIATE_POLL_MS;
      if (setAsideOne(a.workerId as string, within(a.sentAt, until, 'first'))) {
        setAside.monitoringOn += 1;
      }
    }

    const doubled: string[] = [];
    let buckets = 0;
    for (const [workerId, samples] of byWorker) {
      const perBucket = new Map<number, number[]>();
      for (const sample of samples.filter((s) => !s.excluded)) {
        const bucket = Math.floor(sample.at / INTERVAL_MS);
        perBucket.set(bucket, [...(perBucket.get(bucket) ?? []), sample.at]);
      }
      buckets += perBucket.size;
      for (const times of perBucket.values()) {
        if (times.length > 1) {
          doubled.push(`${workerId}: ${times.length} samples at ${times.map(elapsed).join(', ')}`);
        }
      }
    }
    return {
      title: '3. at most one sample from scheduled polls per worker and interval',
      detail:
        `${doubled.length} of ${buckets} (worker, interval) pairs hold two or more; ` +
        `${snapshot.samples.length} samples, set aside: ${setAside.refresh} refreshes' own, ` +
        `${setAside.refreshByWindow} by a refresh's time window, ${setAside.refreshCutByKill} ` +
        `of refreshes cut by the kill, ${setAside.monitoringOn} immediate polls after ` +
        `monitoring was turned on (${refreshes.length} refreshes, ${answered.length} answered)`,
      examples: doubled,
    };
  }

  function samplesByWorker(snapshot: Snapshot) {
    const byWorker = new Map<string, TimedSample[]>();
    for (const sample of snapshot.samples) {
      const list = byWorker.get(sample.workerId) ?? [];
      list.push({ at: sample.collectedAt.getTime(), excluded: false });
      byWorker.set(sample.workerId, list);
    }
    return byWorker;
  }

  // 4 ------------------------------------------------------------------------------------

  /**
   * A worker's row shows its newest sample. A worker never sampled yet (its first poll failed,
   * or monitoring was turned off at once) shows none, except the lastPolledAt importWorker
   * sets when it registers the instance: at most a second from createdAt.
   */
  function rowsMatchNewestSample(snapshot: Snapshot): Check {
    const newest = new Map<string, SampleRow[]>();
    for (const sample of snapshot.samples) {
      const current = newest.get(sample.workerId);
      const at = sample.collectedAt.getTime();
      if (!current || current[0].collectedAt.getTime() < at) {
        newest.set(sample.workerId, [sample]);
      } else if (current[0].collectedAt.getTime() === at) {
        current.push(sample);
      }
    }
    const wrong: string[] = [];
    let resurrected = 0;
    let neverSampled = 0;
    for (const worker of snapshot.workers) {
      const candidates = newest.get(worker.id);
      const polledAt = worker.lastPolledAt?.getTime() ?? null;
      let why: string | undefined;
      if (!candidates) {
        neverSampled += 1;
        const registrationTime =
          polledAt === null || Math.abs(polledAt - worker.createdAt.getTime()) <= 1_000;
        if (!registrationTime || worker.cpuUtilization !== null) {
          why = `no sample, yet lastPolledAt ${polledAt === null ? 'null' : elapsed(polledAt)}, cpu ${worker.cpuUtilization}`;
        }
      } else if (
        !candidates.some(
          (sample) =>
            sample.collectedAt.getTime() === polledAt &&
            sample.cpuUtilization === worker.cpuUtilization &&
            sample.memoryUtilization === worker.memoryUtilization,
        )
      ) {
        const sample = candidates[0];
        why =
          `row: lastPolledAt ${polledAt === null ? 'null' : elapsed(polledAt)}, cpu ${worker.cpuUtilization}, memory ${worker.memoryUtilization}; ` +
          `newest sample: ${elapsed(sample.collectedAt.getTime())}, cpu ${sample.cpuUtilization}, memory ${sample.memoryUtilization}`;
      }
      if (why) {
        resurrected += registry.removed.has(worker.id) ? 1 : 0;
        wrong.push(`${worker.id} (${worker.status}): ${why}`);
      }
    }
    return {
      title: "4. every worker's row matches its newest sample",
      detail:
        `${wrong.length} of ${snapshot.workers.length} rows differ (${resurrected} of them ` +
        `removed workers back in the table); ${neverSampled} workers without any sample`,
      examples: wrong,
    };
  }

  // 5 ------------------------------------------------------------------------------------

  function noUnexpectedAnswers(): Check {
    const problems: string[] = [];
    const counts = { internal: 0, otherCode: 0, removedAnswered: 0, duplicate: 0, lostLive: 0 };
    const label = (a: Answer) =>
      `${a.op}${a.workerId ? ` ${a.workerId}` : ''} at ${elapsed(a.sentAt)}`;
    for (const a of answers) {
      if (a.lost) {
        if (a.service !== killed) {
          counts.lostLive += 1;
          problems.push(`${label(a)}: no answer from a live process (${a.lost})`);
        }
        continue;
      }
      const refused = a.codes.filter((code) => !ACCEPTABLE_CODES[a.op].includes(code));
      if (refused.includes('INTERNAL_SERVER_ERROR')) {
        counts.internal += 1;
      } else if (refused.length > 0) {
        counts.otherCode += 1;
      }
      if (refused.length > 0) {
        problems.push(`${label(a)}: ${refused.join(', ')}`);
      }
      const removedAt = a.workerId ? registry.removed.get(a.workerId)?.removedAt : undefined;
      if (removedAt !== undefined && removedAt < a.sentAt && a.op !== 'importWorker') {
        // Bad input is refused before the worker is looked up, removed or not.
        const expected =
          a.op === 'removeWorker'
            ? a.removed === false
            : a.codes.includes('NOT_FOUND') || a.codes.includes('BAD_USER_INPUT');
        if (!expected && refused.length === 0) {
          counts.removedAnswered += 1;
          problems.push(
            `${label(a)}: answered ${a.op === 'removeWorker' ? String(a.removed) : a.codes.join(', ') || 'with the worker'} for a worker removed ${elapsed(removedAt)}`,
          );
        }
      }
      if (a.duplicateOf && succeeded(a)) {
        const removeSentAt = registry.removeRequestedAt.get(a.duplicateOf);
        if (removeSentAt === undefined || removeSentAt > a.answeredAt) {
          counts.duplicate += 1;
          problems.push(`${label(a)}: registered an instance worker ${a.duplicateOf} holds`);
        }
      }
    }
    const pairs = new Map<number, Answer[]>();
    for (const a of answers.filter((x) => x.importPair !== undefined)) {
      pairs.set(a.importPair as number, [...(pairs.get(a.importPair as number) ?? []), a]);
    }
    for (const pair of pairs.values()) {
      if (pair.filter(succeeded).length > 1) {
        counts.duplicate += 1;
        problems.push(`importWorker twice at once at ${elapsed(pair[0].sentAt)}: both registered`);
      }
    }
    const cutByKill = answers.filter((a) => a.lost && a.service === killed).length;
    return {
      title: '5. no INTERNAL_SERVER_ERROR and no unexpected answer',
      detail:
        `${answers.length} answers: ${counts.internal} INTERNAL_SERVER_ERROR, ${counts.otherCode} ` +
        `other unexpected codes, ${counts.removedAnswered} not NOT_FOUND/false for a removed ` +
        `worker, ${counts.duplicate} duplicate registrations, ${counts.lostLive} lost by a live ` +
        `process; ${cutByKill} cut by the kill (tolerated), ${pool.rerouted} requests rerouted ` +
        `from the dead process`,
      examples: problems,
    };
  }

  // 6 ------------------------------------------------------------------------------------

  /**
   * Gaps between consecutive samples (and from the last one to the snapshot) of every worker
   * that stayed registered, monitored and not terminated: no removeWorker, no
   * monitoringEnabled: false and no terminateWorker was ever sent for it, and it is neither
   * TERMINATED nor SHUTTING_DOWN. A gap that overlaps the throttling phase may hold one more
   * failed poll (THROTTLE_GAP_ALLOWANCE_MS).
   */
  function noMissedPolls(snapshot: Snapshot): Check {
    const watched = snapshot.workers.filter(
      (worker) =>
        isPollable(worker) &&
        worker.status !== 'SHUTTING_DOWN' &&
        !registry.removeRequestedAt.has(worker.id) &&
        !registry.monitoringOffRequested.has(worker.id) &&
        !registry.terminateRequested.has(worker.id),
    );
    const byWorker = samplesByWorker(snapshot);
    const throttleFrom = startedAt + plan.throttle.fromMs;
    const throttleTo = startedAt + plan.throttle.toMs + INTERVAL_MS;
    const tooLong: string[] = [];
    let longest = { gapMs: 0, workerId: '', from: 0 };
    let unsampled = 0;
    for (const worker of watched) {
      const times = (byWorker.get(worker.id) ?? []).map((sample) => sample.at);
      if (times.length === 0) {
        unsampled += 1;
        if (snapshot.at - worker.createdAt.getTime() > GAP_BUDGET_MS) {
          tooLong.push(
            `${worker.id}: never sampled, registered ${elapsed(worker.createdAt.getTime())}`,
          );
        }
        continue;
      }
      const ends = [...times, snapshot.at];
      for (let index = 1; index < ends.length; index += 1) {
        const [from, to] = [ends[index - 1], ends[index]];
        const gapMs = to - from;
        const throttled = from < throttleTo && to > throttleFrom;
        const budgetMs = GAP_BUDGET_MS + (throttled ? THROTTLE_GAP_ALLOWANCE_MS : 0);
        if (gapMs > longest.gapMs) {
          longest = { gapMs, workerId: worker.id, from };
        }
        if (gapMs > budgetMs) {
          tooLong.push(
            `${worker.id}: ${(gapMs / 1000).toFixed(1)} s without a sample from ${elapsed(from)} (budget ${budgetMs / 1000} s)`,
          );
        }
      }
    }
    return {
      title:
        '6. no worker went longer than interval + lock lifetime + batch window + slack without a sample',
      detail:
        `${tooLong.length} gaps over ${GAP_BUDGET_MS / 1000} s (${(GAP_BUDGET_MS + THROTTLE_GAP_ALLOWANCE_MS) / 1000} s across the throttling) ` +
        `in ${watched.length} workers that stayed registered, monitored and not terminated ` +
        `(${watched.filter((worker) => registry.steady.has(worker.id)).length} of them the steady fleet; ` +
        `${unsampled} without any sample); longest ${(longest.gapMs / 1000).toFixed(1)} s, ` +
        `worker ${longest.workerId} from ${elapsed(longest.from)}; the kill was at ${elapsed(killedAt)}`,
      examples: tooLong,
    };
  }

  // ---- the summary ----------------------------------------------------------------------

  function printSummary(snapshot: Snapshot, opsEndedAt: number, eventLoopMaxMs: number): void {
    log(`seed ${SEED} (replay: CONCURRENCY_SEED=${SEED})`);
    log(
      `plan: kill process ${'AB'[plan.victim]} ${plan.killOffsetMs} ms after the first boundary ` +
        `past +${plan.killAfterMs / 1000} s; throttle rate ${plan.throttle.rate} from ` +
        `+${plan.throttle.fromMs / 1000} s to +${plan.throttle.toMs / 1000} s; latency per ` +
        `${LATENCY_STEP_MS / 1000} s: ${plan.latenciesMs.slice(0, Math.ceil(RUN_MS / LATENCY_STEP_MS)).join(', ')} ms`,
    );
    firstDraws.forEach((drawn, client) => log(`client ${client} drew first: ${drawn.join(', ')}`));
    const ops = new Map<string, Map<string, number>>();
    for (const a of answers) {
      const outcome = a.lost
        ? a.service === killed
          ? 'cut by the kill'
          : `lost (${a.lost})`
        : a.codes.length > 0
          ? a.codes.join('+')
          : a.op === 'removeWorker'
            ? String(a.removed)
            : 'ok';
      const tally = ops.get(a.op) ?? new Map<string, number>();
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      ops.set(a.op, tally);
    }
    log(`operations: ${answers.length} in ${((opsEndedAt - startedAt) / 1000).toFixed(1)} s`);
    const codes = new Map<string, number>();
    for (const [, tally] of ops) {
      for (const [outcome, n] of tally) {
        codes.set(outcome, (codes.get(outcome) ?? 0) + n);
      }
    }
    log(`answers: ${[...codes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
    for (const [op, tally] of ops) {
      const total = [...tally.values()].reduce((sum, n) => sum + n, 0);
      log(`  ${op} ${total}: ${[...tally].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
    }
    log(`faults: latency/throttle steps ${faultLog.join('; ')}`);
    log(
      `faults injected: ${[...faultsInjected].map(([what, n]) => `${what} ${n}`).join(', ') || 'none but latency'}`,
    );
    log(
      `kill: process ${'AB'[plan.victim]} (pid ${killed?.pid}) at ${elapsed(killedAt)}, ` +
        `${recoveryAfterKill(snapshot)}; ` +
        `replacement serving at ${elapsed(replacementReadyAt)}`,
    );
    log(
      `end: operations stopped at ${elapsed(opsEndedAt)}, snapshot at ${elapsed(snapshot.at)}: ` +
        `${snapshot.workers.length} workers, ${snapshot.samples.length} samples, ` +
        `${snapshot.jobs.length} poll jobs; test process event loop delayed up to ${eventLoopMaxMs.toFixed(0)} ms`,
    );
    for (const check of checks) {
      log(`${check.examples.length === 0 ? 'PASS' : 'FAIL'} ${check.title}: ${check.detail}`);
      check.examples.slice(0, MAX_EXAMPLES).forEach((example) => log(`       ${example}`));
    }
    log(`service errors logged: ${serviceErrors() || 'none'}`);
  }

  /** The distinct error messages the service processes logged, with their counts. */
  function serviceErrors(): string {
    const counts = new Map<string, number>();
    for (const service of services) {
      for (const line of service.output) {
        const entry = parseLogLine(line);
        if (entry && entry.level >= 50) {
          const key = `${entry.msg}${entry.err ? `: ${entry.err.slice(0, 120)}` : ''}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
    return [...counts].map(([message, n]) => `${n}x ${message}`).join(' | ');
  }

  // ---- the invariants, one test each ----------------------------------------------------

  const checked = (index: number) => checks[index]?.examples.slice(0, MAX_EXAMPLES) ?? ['not run'];

  it('1. should leave no removed worker in the registry', () => {
    expect(checked(0)).toEqual([]);
  });

  it('2. should keep exactly one poll job per monitored, non-terminated worker and none else', () => {
    expect(checked(1)).toEqual([]);
  });

  it('3. should store at most one scheduled sample per worker and interval', () => {
    expect(checked(2)).toEqual([]);
  });

  it("4. should keep every worker's row equal to its newest sample", () => {
    expect(checked(3)).toEqual([]);
  });

  it('5. should answer no INTERNAL_SERVER_ERROR and nothing unexpected', () => {
    expect(checked(4)).toEqual([]);
  });

  it('6. should poll every monitored worker within interval + lock lifetime + window + slack, the kill included', () => {
    expect(checked(5)).toEqual([]);
  });
});

function isPollable(worker: WorkerRow): boolean {
  return worker.monitoringEnabled && worker.status !== 'TERMINATED';
}

function codeOf(error: GraphQLFormattedError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'NO_CODE';
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause = error.cause as { code?: string } | undefined;
  return cause?.code ?? error.message;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function parseLogLine(line: string): { level: number; msg: string; err?: string } | undefined {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    return typeof entry.level === 'number'
      ? { level: entry.level, msg: entry.msg ?? '', err: entry.err?.message }
      : undefined;
  } catch {
    return undefined;
  }
}
