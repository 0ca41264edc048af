import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Worker } from '../entities/worker.entity';
import type { RequestContext } from '../schema/context';
import { MetricSeriesArgs } from '../schema/inputs/metric-series.args';
import { MetricBucket } from '../schema/types/metric-bucket.type';

@Resolver(() => Worker)
export class WorkerSeriesResolver {
  @FieldResolver(() => [MetricBucket], {
    description:
      'Samples aggregated per bucket, oldest first. Without a resolution, the finest one that gives at most 500 buckets.',
  })
  metricSeries(
    @Root() worker: Worker,
    @Args(() => MetricSeriesArgs) window: MetricSeriesArgs,
    @Ctx() context: RequestContext,
  ): Promise<MetricBucket[]> {
    return context.seriesOf(window).load(worker.id);
  }
}
