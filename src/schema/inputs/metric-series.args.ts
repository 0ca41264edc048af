import { ArgsType, Field } from 'type-graphql';
import type { SeriesWindow } from '../../services/history/metric-history.service';
import { MetricResolution } from '../types/metric-resolution.enum';

/** The window's rules (since before until, the bucket cap) are the service's: they need now. */
@ArgsType()
export class MetricSeriesArgs implements SeriesWindow {
  @Field(() => Date)
  since: Date;

  @Field(() => Date, { nullable: true })
  until?: Date | null;

  @Field(() => MetricResolution, { nullable: true })
  resolution?: MetricResolution | null;
}
