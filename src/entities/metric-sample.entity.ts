import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { CmlServiceStatus } from './cml.types';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CheckStatus, WorkerStatus } from './worker-status.enum';
import type { FieldColumns } from '../schema/selection';
import { StatusChecks, timestamp, toStatusChecks, Worker } from './worker.entity';

@ObjectType({
  simpleResolvers: true,
  description:
    'One polling result for one worker. Also the payload of the workerMetrics subscription.',
})
@Entity({ name: 'metric_sample' })
// (workerId, collectedAt) including both values: TypeORM cannot declare it, a migration makes it.
@Index('metric_sample_worker_history', { synchronize: false })
@Index('metric_sample_collected_at', ['collectedAt'])
export class MetricSample {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Field(() => ID)
  @Column({ type: 'uuid' })
  workerId: string;

  @ManyToOne(() => Worker, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workerId', foreignKeyConstraintName: 'metric_sample_worker_fk' })
  worker?: Worker;

  @Field(() => WorkerStatus)
  @Column({ type: 'enum', enum: WorkerStatus, enumName: 'worker_status' })
  status: WorkerStatus;

  @Column({ type: 'enum', enum: CheckStatus, enumName: 'check_status', nullable: true })
  systemCheck: CheckStatus | null;

  @Column({ type: 'enum', enum: CheckStatus, enumName: 'check_status', nullable: true })
  instanceCheck: CheckStatus | null;

  @Field(() => Float, { nullable: true })
  @Column({ type: 'double precision', nullable: true })
  cpuUtilization: number | null;

  @Field(() => Float, { nullable: true })
  @Column({ type: 'double precision', nullable: true })
  memoryUtilization: number | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Start of the CloudWatch period the CPU value averages; null without a value.',
  })
  @Column({ ...timestamp, nullable: true })
  cpuDatapointAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Start of the CloudWatch period the memory value averages; null without a value.',
  })
  @Column({ ...timestamp, nullable: true })
  memoryDatapointAt: Date | null;

  @Field(() => CmlServiceStatus, { nullable: true })
  @Column({ type: 'enum', enum: CmlServiceStatus, enumName: 'cml_status', nullable: true })
  cmlStatus: CmlServiceStatus | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  labsRunning: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  nodesRunning: number | null;

  @Field()
  @Column(timestamp)
  collectedAt: Date;

  @Field(() => StatusChecks, { nullable: true })
  get statusChecks(): StatusChecks | null {
    return toStatusChecks(this.systemCheck, this.instanceCheck);
  }
}

/**
 * What workerMetrics subscribers receive: a sample's columns as plain data, so it survives JSON
 * over Redis; the subscription turns it back into a MetricSample.
 */
export type MetricSampleEvent = Pick<
  MetricSample,
  | 'workerId'
  | 'status'
  | 'systemCheck'
  | 'instanceCheck'
  | 'cpuUtilization'
  | 'memoryUtilization'
  | 'cpuDatapointAt'
  | 'memoryDatapointAt'
  | 'cmlStatus'
  | 'labsRunning'
  | 'nodesRunning'
  | 'collectedAt'
>;

/** The columns of `metric_sample` an answer may read. */
export type MetricSampleColumn = keyof MetricSampleEvent;

/** What each MetricSample field reads. */
export const METRIC_SAMPLE_FIELD_COLUMNS: FieldColumns<MetricSampleColumn> = {
  workerId: ['workerId'],
  status: ['status'],
  statusChecks: ['systemCheck', 'instanceCheck'],
  cpuUtilization: ['cpuUtilization'],
  memoryUtilization: ['memoryUtilization'],
  cpuDatapointAt: ['cpuDatapointAt'],
  memoryDatapointAt: ['memoryDatapointAt'],
  cmlStatus: ['cmlStatus'],
  labsRunning: ['labsRunning'],
  nodesRunning: ['nodesRunning'],
  collectedAt: ['collectedAt'],
};

/**
 * A sample as an answer reads it: plain data, with the columns asked for (every one when none
 * were named), and `statusChecks` when its two columns were read.
 */
export type MetricSampleRow = Pick<MetricSample, 'workerId'> &
  Partial<MetricSampleEvent> & { statusChecks?: StatusChecks | null };
