import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { Worker } from '../entities/worker.entity';
import type { RequestContext } from '../schema/context';
import { MetricSeriesArgs } from '../schema/inputs/metric-series.args';
import { columnsOf, selectedFields } from '../schema/selection';
import { METRIC_BUCKET_FIELD_COLUMNS, MetricBucket } from '../schema/types/metric-bucket.type';

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
    @Info() info: GraphQLResolveInfo,
  ): Promise<MetricBucket[]> {
    const figures = columnsOf(selectedFields(info), METRIC_BUCKET_FIELD_COLUMNS);
    return context.seriesOf({ ...window, figures }).load(worker.id);
  }
}
