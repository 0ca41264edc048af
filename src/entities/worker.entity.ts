import type { FieldColumns } from '../schema/selection';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { WorkerAction } from './alert.enums';
import {
  CmlServiceStatus,
  CmlState,
  Lab,
  type StoredLab,
  type StoredLicense,
  toLab,
  toLicense,
} from './cml.types';
import { Node } from './node.interface';
import { CheckStatus, WorkerStatus } from './worker-status.enum';

@ObjectType({ simpleResolvers: true })
export class StatusChecks {
  @Field(() => CheckStatus)
  system: CheckStatus;

  @Field(() => CheckStatus)
  instance: CheckStatus;
}

export function toStatusChecks(
  system: CheckStatus | null,
  instance: CheckStatus | null,
): StatusChecks | null {
  return system === null || instance === null ? null : { system, instance };
}

@ObjectType({
  simpleResolvers: true,
  description: 'Alert thresholds in percent (0-100]. Per worker; defaults come from configuration.',
})
export class Thresholds {
  @Field(() => Float)
  cpu: number;

  @Field(() => Float)
  memory: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Why the last poll of a worker failed; cleared by the next successful poll.',
})
export class PollError {
  @Field()
  message: string;

  @Field({ description: 'When the last failed poll happened.' })
  occurredAt: Date;

  @Field(() => Int, { description: 'Polls that failed in a row.' })
  consecutiveFailures: number;
}

/** Milliseconds are kept (not Postgres' microseconds) so a timestamp survives a round trip through a JS Date, as pagination cursors need. */
export const timestamp = { type: 'timestamptz', precision: 3 } as const;

@ObjectType({ simpleResolvers: true, implements: Node })
@Entity({ name: 'worker' })
@Index('worker_region_instance_unique', ['awsRegion', 'awsInstanceId'], { unique: true })
@Index('worker_created_at_id', ['createdAt', 'id'])
@Check('worker_cpu_threshold_range', '"cpuThreshold" > 0 AND "cpuThreshold" <= 100')
@Check('worker_memory_threshold_range', '"memoryThreshold" > 0 AND "memoryThreshold" <= 100')
export class Worker implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  awsRegion: string;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  awsInstanceId: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  instanceType: string | null;

  @Field(() => WorkerStatus)
  @Column({
    type: 'enum',
    enum: WorkerStatus,
    enumName: 'worker_status',
    default: WorkerStatus.UNKNOWN,
  })
  status: WorkerStatus;

  @Column({ type: 'enum', enum: CheckStatus, enumName: 'check_status', nullable: true })
  systemCheck: CheckStatus | null;

  @Column({ type: 'enum', enum: CheckStatus, enumName: 'check_status', nullable: true })
  instanceCheck: CheckStatus | null;

  @Field(() => Float, {
    description:
      'Average CPU utilization (percent) of the last collected period; null when unknown.',
    nullable: true,
  })
  @Column({ type: 'double precision', nullable: true })
  cpuUtilization: number | null;

  @Field(() => Float, {
    description: 'Average memory utilization (percent, CloudWatch agent); null when unknown.',
    nullable: true,
  })
  @Column({ type: 'double precision', nullable: true })
  memoryUtilization: number | null;

  @Column({ type: 'double precision' })
  cpuThreshold: number;

  @Column({ type: 'double precision' })
  memoryThreshold: number;

  @Field()
  @Column({ type: 'boolean' })
  monitoringEnabled: boolean;

  @Field(() => Date, { nullable: true })
  @Column({ ...timestamp, nullable: true })
  lastPolledAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'The last poll that saw a running lab or node or a lab change, or CPU at or above WORKER_IDLE_CPU_THRESHOLD (the idle policy).',
  })
  @Column({ ...timestamp, nullable: true })
  lastActivityAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ ...timestamp, nullable: true })
  lastTransitionAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next scheduled poll is due; null while the worker is not polled.',
  })
  @Column({ ...timestamp, nullable: true })
  nextPollAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastPollError: string | null;

  @Column({ ...timestamp, nullable: true })
  lastPollErrorAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  consecutivePollFailures: number;

  /**
   * The last lifecycle call made to EC2 and when, until the poll sees its outcome: a stop we
   * asked for is not an unexpected one.
   */
  @Column({ type: 'enum', enum: WorkerAction, enumName: 'worker_action', nullable: true })
  requestedAction: WorkerAction | null;

  @Column({ ...timestamp, nullable: true })
  requestedAt: Date | null;

  /** Consecutive samples above the CPU threshold (samples without a value do not count). */
  @Column({ type: 'integer', default: 0 })
  cpuHighStreak: number;

  @Column({ type: 'integer', default: 0 })
  memoryHighStreak: number;

  /** Addresses from DescribeInstances, from which the CML endpoint is derived. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  privateIpAddress: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  publicIpAddress: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  publicDnsName: string | null;

  /** Set by an operator; otherwise the endpoint is derived (CML_ENDPOINT_FROM). */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  cmlEndpointOverride: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  cmlUsername: string | null;

  /** AES-256-GCM with CML_CREDENTIALS_KEY: never returned, never logged. */
  @Column({ type: 'text', nullable: true })
  cmlPasswordEncrypted: string | null;

  @Column({
    type: 'enum',
    enum: CmlServiceStatus,
    enumName: 'cml_status',
    default: CmlServiceStatus.UNKNOWN,
  })
  cmlStatus: CmlServiceStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  cmlVersion: string | null;

  @Column({ type: 'boolean', nullable: true })
  cmlReady: boolean | null;

  @Column({ type: 'jsonb', nullable: true })
  cmlLicense: StoredLicense | null;

  @Column({ type: 'jsonb', default: [] })
  cmlLabs: StoredLab[];

  @Column({ type: 'integer', nullable: true })
  labsTotal: number | null;

  @Column({ type: 'integer', nullable: true })
  labsRunning: number | null;

  @Column({ type: 'integer', nullable: true })
  nodesTotal: number | null;

  @Column({ type: 'integer', nullable: true })
  nodesRunning: number | null;

  @Column({ ...timestamp, nullable: true })
  cmlCheckedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  cmlError: string | null;

  /** When version, readiness and licensing were last read (CML_DETAILS_REFRESH). */
  @Column({ ...timestamp, nullable: true })
  cmlDetailsAt: Date | null;

  /** Consecutive polls of a running, healthy instance whose controller failed. */
  @Column({ type: 'integer', default: 0 })
  cmlFailureStreak: number;

  @Field()
  @CreateDateColumn(timestamp)
  createdAt: Date;

  @Field()
  @UpdateDateColumn(timestamp)
  updatedAt: Date;

  @Field(() => StatusChecks, { nullable: true })
  get statusChecks(): StatusChecks | null {
    return toStatusChecks(this.systemCheck, this.instanceCheck);
  }

  @Field(() => PollError, {
    nullable: true,
    description: 'Set while polling this worker fails (AWS throttling, errors, timeouts).',
  })
  get pollError(): PollError | null {
    if (this.consecutivePollFailures === 0 || !this.lastPollError || !this.lastPollErrorAt) {
      return null;
    }
    return {
      message: this.lastPollError,
      occurredAt: this.lastPollErrorAt,
      consecutiveFailures: this.consecutivePollFailures,
    };
  }

  @Field(() => CmlState)
  get cml(): CmlState {
    return {
      status: this.cmlStatus,
      version: this.cmlVersion,
      ready: this.cmlReady,
      license: toLicense(this.cmlLicense),
      labsTotal: this.labsTotal,
      labsRunning: this.labsRunning,
      nodesTotal: this.nodesTotal,
      nodesRunning: this.nodesRunning,
      checkedAt: this.cmlCheckedAt,
      error: this.cmlError,
    };
  }

  @Field(() => [Lab], { description: "The labs on the worker's CML controller at the last poll." })
  get labs(): Lab[] {
    return this.cmlLabs.map(toLab);
  }

  @Field({ description: 'Whether the worker has CML credentials of its own (never shown).' })
  get hasOwnCmlCredentials(): boolean {
    return this.cmlUsername !== null && this.cmlPasswordEncrypted !== null;
  }

  @Field(() => Thresholds)
  get thresholds(): Thresholds {
    return { cpu: this.cpuThreshold, memory: this.memoryThreshold };
  }
}

/** The columns of `worker`: its properties less the fields computed from them. */
export type WorkerColumn = Exclude<
  keyof Worker,
  'statusChecks' | 'pollError' | 'cml' | 'labs' | 'hasOwnCmlCredentials' | 'thresholds'
>;

const ID_COLUMN: readonly WorkerColumn[] = ['id'];

/** What each Worker field reads; its field resolvers that batch by worker read `id`. */
export const WORKER_FIELD_COLUMNS: FieldColumns<WorkerColumn> = {
  id: ID_COLUMN,
  name: ['name'],
  awsRegion: ['awsRegion'],
  awsInstanceId: ['awsInstanceId'],
  instanceType: ['instanceType'],
  status: ['status'],
  statusChecks: ['systemCheck', 'instanceCheck'],
  cpuUtilization: ['cpuUtilization'],
  memoryUtilization: ['memoryUtilization'],
  thresholds: ['cpuThreshold', 'memoryThreshold'],
  monitoringEnabled: ['monitoringEnabled'],
  lastPolledAt: ['lastPolledAt'],
  lastActivityAt: ['lastActivityAt'],
  lastTransitionAt: ['lastTransitionAt'],
  nextPollAt: ['nextPollAt'],
  pollError: ['lastPollError', 'lastPollErrorAt', 'consecutivePollFailures'],
  labs: ['cmlLabs'],
  hasOwnCmlCredentials: ['cmlUsername', 'cmlPasswordEncrypted'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
  metrics: ID_COLUMN,
  metricSeries: ID_COLUMN,
  alerts: ID_COLUMN,
  statusHistory: ID_COLUMN,
};
