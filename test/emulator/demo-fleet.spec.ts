import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { seedDemoFleet } from '../../src/emulator/demo-fleet';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import {
  cloudWatchClient,
  ManualClock,
  MINUTE,
  START_TIME,
  startTestEmulator,
  TEST_REGION,
} from './emulator.factory';

/** The longest run of consecutive values above `threshold`, and how many such runs there are. */
function runsAbove(
  values: readonly number[],
  threshold: number,
): { longest: number; count: number } {
  let longest = 0;
  let count = 0;
  let current = 0;
  for (const value of values) {
    current = value > threshold ? current + 1 : 0;
    if (current === 1) {
      count += 1;
    }
    longest = Math.max(longest, current);
  }
  return { longest, count };
}

describe(seedDemoFleet.name, () => {
  let emulator: RunningEmulator;
  let cloudWatch: CloudWatchClient;

  beforeEach(async () => {
    emulator = await startTestEmulator({ clock: new ManualClock().now });
    cloudWatch = cloudWatchClient(emulator);
  });

  afterEach(async () => {
    cloudWatch.destroy();
    await emulator.close();
  });

  it('should add four named running workers and return their ids', () => {
    const demo = seedDemoFleet(emulator.fleet, TEST_REGION);

    expect(demo.map((instance) => instance.name)).toEqual([
      'cml-worker-01',
      'cml-worker-02',
      'cml-worker-03',
      'cml-worker-04',
    ]);
    for (const instance of demo) {
      expect(emulator.fleet.getInstance(instance.instanceId)).toMatchObject({
        region: TEST_REGION,
        state: 'running',
        name: instance.name,
        instanceType: instance.instanceType,
      });
    }
    expect(demo.filter((instance) => instance.runsHot)).toHaveLength(1);
  });

  it('should run one worker above 90 % CPU for several minutes every quarter of an hour, and no other', async () => {
    const demo = seedDemoFleet(emulator.fleet, TEST_REGION);

    const output = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(START_TIME - 60 * MINUTE),
        EndTime: new Date(START_TIME),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: demo.map((instance, index) => ({
          Id: `cpu${index}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/EC2',
              MetricName: 'CPUUtilization',
              Dimensions: [{ Name: 'InstanceId', Value: instance.instanceId }],
            },
            Period: 60,
            Stat: 'Average',
          },
        })),
      }),
    );

    const results = output.MetricDataResults ?? [];
    expect(results).toHaveLength(4);
    demo.forEach((instance, index) => {
      const values = results[index]?.Values ?? [];
      expect(values).toHaveLength(60);
      const runs = runsAbove(values, 90);
      if (instance.runsHot) {
        expect(runs.longest).toBeGreaterThanOrEqual(3);
        expect(runs.count).toBeGreaterThanOrEqual(3);
      } else {
        expect(runs.count).toBe(0);
      }
    });
  });
});
