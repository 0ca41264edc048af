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
import { CheckStatus, WorkerStatus } from './worker-status.enum';

@ObjectType()
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
  description: 'Alert thresholds in percent (0-100]. Per worker; defaults come from configuration.',
})
export class Thresholds {
  @Field(() => Float)
  cpu: number;

  @Field(() => Float)
  memory: number;
}

@ObjectType({
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

@ObjectType()
@Entity({ name: 'worker' })
@Index('worker_region_instance_unique', ['awsRegion', 'awsInstanceId'], { unique: true })
@Index('worker_created_at_id', ['createdAt', 'id'])
@Check('worker_cpu_threshold_range', '"cpuThreshold" > 0 AND "cpuThreshold" <= 100')
@Check('worker_memory_threshold_range', '"memoryThreshold" > 0 AND "memoryThreshold" <= 100')
export class Worker {
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
      'The last sample in which CPU was at or above WORKER_IDLE_CPU_THRESHOLD (the idle policy).',
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

  @Field(() => Thresholds)
  get thresholds(): Thresholds {
    return { cpu: this.cpuThreshold, memory: this.memoryThreshold };
  }
}
