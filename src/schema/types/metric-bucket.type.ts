import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { SeriesFigure } from '../../repositories/metric-sample.repository';
import type { SeriesBucket } from '../../services/history/metric-history.service';
import type { FieldColumns } from '../selection';

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

/** What each MetricBucket field is computed from: startsAt is every bucket's key. */
export const METRIC_BUCKET_FIELD_COLUMNS: FieldColumns<SeriesFigure> = {
  startsAt: [],
  samples: ['samples'],
  cpuMin: ['cpuMin'],
  cpuAvg: ['cpuAvg'],
  cpuMax: ['cpuMax'],
  memoryMin: ['memoryMin'],
  memoryAvg: ['memoryAvg'],
  memoryMax: ['memoryMax'],
};
