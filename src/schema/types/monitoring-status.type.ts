import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum JobStoreBackend {
  POSTGRES = 'POSTGRES',
  MONGODB = 'MONGODB',
}

registerEnumType(JobStoreBackend, {
  name: 'JobStoreBackend',
  description: 'Where the poll jobs are kept: MongoDB when JOBS_MONGO_URL is set, else PostgreSQL.',
});

@ObjectType({ simpleResolvers: true })
export class PollJobCounts {
  @Field(() => Int, { description: 'Poll jobs in the job store: one per polled worker.' })
  scheduled: number;

  @Field(() => Int, { description: 'Poll jobs running now, on any service process.' })
  running: number;

  @Field(() => Int, {
    description:
      'Poll jobs past due that no process has picked up: no worker process is running, or all are saturated.',
  })
  overdue: number;
}

@ObjectType({ simpleResolvers: true })
export class AwsCallCount {
  @Field()
  action: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'What this service process polled in the newest interval it took part in (other processes poll their share).',
})
export class PollCycleSummary {
  @Field({ description: 'The interval boundary the polls were due at.' })
  dueAt: Date;

  @Field()
  startedAt: Date;

  @Field()
  finishedAt: Date;

  @Field(() => Int)
  durationMs: number;

  @Field(() => Int, { description: 'Batches the cycle was polled in.' })
  batches: number;

  @Field(() => Int)
  workersPolled: number;

  @Field(() => Int, { description: 'Workers whose poll failed (AWS errors after retries).' })
  workersFailed: number;

  @Field(() => [AwsCallCount])
  awsCalls: AwsCallCount[];
}

@ObjectType({ simpleResolvers: true, description: 'Whether and how workers are being polled.' })
export class MonitoringStatus {
  @Field({ description: 'False when WORKER_MONITORING_ENABLED=false: nothing is scheduled.' })
  enabled: boolean;

  @Field(() => JobStoreBackend, { nullable: true })
  jobStore: JobStoreBackend | null;

  @Field(() => Int)
  pollIntervalSeconds: number;

  @Field(() => Int)
  metricsPeriodSeconds: number;

  @Field(() => PollJobCounts)
  jobs: PollJobCounts;

  @Field(() => PollCycleSummary, { nullable: true })
  lastCycle: PollCycleSummary | null;
}
