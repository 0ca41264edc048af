import { registerEnumType } from 'type-graphql';
import { MetricResolution } from '../../services/history/metric-resolution';

registerEnumType(MetricResolution, { name: 'MetricResolution' });

export { MetricResolution };
