import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { CmlServiceStatus } from './cml.types';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CheckStatus, WorkerStatus } from './worker-status.enum';
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
