import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ChangeSource } from './change-source.enum';
import { WorkerStatus } from './worker-status.enum';
import { timestamp, Worker } from './worker.entity';

/** One change of a worker's status, stored once, in the transaction that wrote the status. */
@ObjectType({ simpleResolvers: true })
@Entity({ name: 'worker_status_transition' })
@Index('worker_status_transition_worker_changed_at', ['workerId', 'changedAt'])
export class WorkerStatusTransition {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  workerId: string;

  @ManyToOne(() => Worker, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workerId', foreignKeyConstraintName: 'worker_status_transition_worker_fk' })
  worker?: Worker;

  @Field(() => WorkerStatus)
  @Column({ type: 'enum', enum: WorkerStatus, enumName: 'worker_status' })
  previousStatus: WorkerStatus;

  @Field(() => WorkerStatus)
  @Column({ type: 'enum', enum: WorkerStatus, enumName: 'worker_status' })
  status: WorkerStatus;

  @Field()
  @Column(timestamp)
  changedAt: Date;

  @Field(() => ChangeSource)
  @Column({ type: 'enum', enum: ChangeSource, enumName: 'change_source' })
  source: ChangeSource;

  @Field(() => String, {
    nullable: true,
    description: 'Who asked for it, for MUTATION; null otherwise.',
  })
  @Column({ type: 'text', nullable: true })
  actor: string | null;
}
