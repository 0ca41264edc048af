import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceStatusCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startEmulator } from '../src/emulator/emulator.server';
import { metricQuery } from '../src/services/aws/fleet-telemetry.gateway';
import { type Benchmark, type BenchResult, check, percentile } from './support/report';

const REGION = 'us-east-1';
const FLEET_SIZE = 10_000;
const TINY_FLEET_SIZE = 600;
const TARGET_MS = 50;
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

interface Measurement {
  name: string;
  p50: number;
  p95: number;
  max: number;
  /** p50 divided by the baseline's p50, both measured in the same run. */
  ratio: number;
}

/**
 * The emulator under a 10,000-instance fleet: DescribeInstanceStatus for 100 ids and
 * GetMetricData for 500 queries, through the real SDK clients, against a one-id
 * DescribeInstanceStatus on the same emulator as the baseline.
 */
export const emulatorBenchmark: Benchmark = {
  name: 'emulator',
  run: (context) =>
    context.size === 'full'
      ? run(FLEET_SIZE, 200, 20, context.log)
      : run(TINY_FLEET_SIZE, 5, 1, context.log),
};

async function run(
  fleetSize: number,
  iterations: number,
  warmup: number,
  log: (line: string) => void,
): Promise<BenchResult> {
  const emulator = await startEmulator({ defaultRegion: REGION });
  const clientConfig = {
    region: REGION,
    endpoint: emulator.endpoint,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  };
  const ec2 = new EC2Client(clientConfig);
  const cloudWatch = new CloudWatchClient(clientConfig);
  const agent = new Agent({ keepAlive: true });
  try {
    const seedStart = performance.now();
    const ids = emulator.fleet
      .addInstances({ region: REGION, count: fleetSize })
      .map((instance) => instance.instanceId);
    log(
      `emulator: ${fleetSize} instances in ${REGION}, seeded in ${(performance.now() - seedStart).toFixed(0)} ms`,
    );

    const slice = (call: number, size: number) => {
      const start = (call * size) % (ids.length - size);
      return ids.slice(start, start + size);
    };
    const metricQueries = (call: number, period: number): MetricDataQuery[] =>
      slice(call, 250).flatMap((instanceId, index) => [
        metricQuery(`cpu${index}`, 'AWS/EC2', 'CPUUtilization', instanceId, period),
        metricQuery(`mem${index}`, 'CWAgent', 'mem_used_percent', instanceId, period),
      ]);
    const window = () => ({ StartTime: new Date(Date.now() - 5 * 60_000), EndTime: new Date() });

    const scenarios: Array<{ name: string; call: (index: number) => Promise<unknown> }> = [
      {
        name: 'DescribeInstanceStatus(1 id) [baseline]',
        call: (index) =>
          ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: slice(index, 1) })),
      },
      {
        name: 'DescribeInstanceStatus(100 ids)',
        call: (index) =>
          ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: slice(index, 100) })),
      },
      {
        name: 'GetMetricData(500 queries, 5 min, Period 60)',
        call: (index) =>
          cloudWatch.send(
            new GetMetricDataCommand({ ...window(), MetricDataQueries: metricQueries(index, 60) }),
          ),
      },
      {
        name: 'GetMetricData(500 queries, 5 min, Period 300)',
        call: (index) =>
          cloudWatch.send(
            new GetMetricDataCommand({ ...window(), MetricDataQueries: metricQueries(index, 300) }),
          ),
      },
      {
        // The same call without the SDK: what the emulator itself costs, HTTP included.
        name: 'GetMetricData(500 queries, Period 60), raw HTTP',
        call: (index) =>
          postJson(agent, emulator.endpoint, 'GraniteServiceVersion20100801.GetMetricData', {
            StartTime: Date.now() / 1000 - 300,
            EndTime: Date.now() / 1000,
            MetricDataQueries: metricQueries(index, 60),
          }),
      },
    ];

    const timings: Array<{ name: string; samples: number[] }> = [];
    for (const scenario of scenarios) {
      timings.push({
        name: scenario.name,
        samples: await measure(scenario.call, warmup, iterations),
      });
    }
    const [baseline, ...targets] = timings.map(({ name, samples }) => ({
      name,
      ...summarize(samples),
    }));
    const baselineP50 = baseline?.p50 ?? Number.NaN;
    const measurements: Measurement[] = [
      ...(baseline ? [{ ...baseline, ratio: 1 }] : []),
      ...targets.map((summary) => ({ ...summary, ratio: summary.p50 / baselineP50 })),
    ];
    return {
      name: 'emulator',
      description: `One AWS call through the SDK against the emulator holding ${fleetSize} instances; ${iterations} calls each.`,
      rows: measurements.map((measurement) => ({
        call: measurement.name,
        'p50 ms': measurement.p50,
        'p95 ms': measurement.p95,
        'max ms': measurement.max,
        'p50 vs baseline': measurement.ratio,
      })),
      targets: targets.map((summary) =>
        check(
          `${summary.name} p95`,
          `< ${TARGET_MS} ms`,
          `${summary.p95.toFixed(1)} ms`,
          summary.p95 < TARGET_MS,
        ),
      ),
    };
  } finally {
    agent.destroy();
    ec2.destroy();
    cloudWatch.destroy();
    await emulator.close();
  }
}

function postJson(agent: Agent, endpoint: string, target: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      endpoint,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
      },
      (response) => {
        response.resume();
        response.on('error', reject);
        response.on('end', () =>
          response.statusCode === 200
            ? resolve()
            : reject(new Error(`HTTP ${response.statusCode ?? 0}`)),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

async function measure(
  call: (index: number) => Promise<unknown>,
  warmup: number,
  iterations: number,
): Promise<number[]> {
  for (let index = 0; index < warmup; index += 1) {
    await call(index);
  }
  const samples: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const start = performance.now();
    await call(warmup + index);
    samples.push(performance.now() - start);
  }
  return samples;
}

function summarize(samples: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? Number.NaN,
  };
}
