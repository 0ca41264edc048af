import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { SeriesBucket } from '../../services/history/metric-history.service';

// Plain fields read as they are, without type-graphql's per-field wrapper: a page of 50 workers
// over a day answers 115,200 of them.
@ObjectType({ description: 'Samples of one time bucket.', simpleResolvers: true })
export class MetricBucket implements SeriesBucket {
  @Field()
  startsAt: Date;

  @Field(() => Int)
  samples: number;

  @Field(() => Float, { nullable: true })
  cpuMin: number | null;

  @Field(() => Float, { nullable: true })
  cpuAvg: number | null;

  @Field(() => Float, { nullable: true })
  cpuMax: number | null;

  @Field(() => Float, { nullable: true })
  memoryMin: number | null;

  @Field(() => Float, { nullable: true })
  memoryAvg: number | null;

  @Field(() => Float, { nullable: true })
  memoryMax: number | null;
}
