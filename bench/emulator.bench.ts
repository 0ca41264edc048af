import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceStatusCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startEmulator } from '../src/emulator/emulator.server';
import { metricQuery } from '../src/services/fleet-telemetry.gateway';

const REGION = 'us-east-1';
const FLEET_SIZE = 10_000;
const TARGET_MS = 50;
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export interface Measurement {
  name: string;
  p50: number;
  p95: number;
  max: number;
  /** p50 divided by the baseline's p50, both measured in the same run. */
  ratio: number;
  /** Whether p95 stays under the target; undefined for the baseline itself. */
  pass: boolean | undefined;
}

export interface BenchReport {
  name: string;
  targetMs: number;
  measurements: Measurement[];
  passed: boolean;
}

export interface BenchOptions {
  iterations?: number;
  warmup?: number;
  log?: (line: string) => void;
}

/**
 * The emulator under a 10,000-instance fleet: DescribeInstanceStatus for 100 ids and
 * GetMetricData for 500 queries, through the real SDK clients, against a one-id
 * DescribeInstanceStatus on the same emulator as the baseline.
 */
export async function run(options: BenchOptions = {}): Promise<BenchReport> {
  const iterations = options.iterations ?? 200;
  const warmup = options.warmup ?? 20;
  const log = options.log ?? ((line: string) => console.log(line));
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
      .addInstances({ region: REGION, count: FLEET_SIZE })
      .map((instance) => instance.instanceId);
    log(
      `emulator: ${FLEET_SIZE} instances in ${REGION}, seeded in ${(performance.now() - seedStart).toFixed(0)} ms`,
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
      ...(baseline ? [{ ...baseline, ratio: 1, pass: undefined }] : []),
      ...targets.map((summary) => ({
        ...summary,
        ratio: summary.p50 / baselineP50,
        pass: summary.p95 < TARGET_MS,
      })),
    ];
    for (const measurement of measurements) {
      log(formatMeasurement(measurement));
    }
    const passed = measurements.every((measurement) => measurement.pass !== false);
    log(
      `${passed ? 'PASS' : 'FAIL'}: every p95 under ${TARGET_MS} ms over ${iterations} calls each`,
    );
    return { name: 'emulator', targetMs: TARGET_MS, measurements, passed };
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
  const percentile = (rank: number) =>
    sorted[Math.max(0, Math.ceil(rank * sorted.length) - 1)] ?? Number.NaN;
  return { p50: percentile(0.5), p95: percentile(0.95), max: sorted.at(-1) ?? Number.NaN };
}

function formatMeasurement(measurement: Measurement): string {
  const verdict =
    measurement.pass === undefined
      ? ''
      : `  ${measurement.pass ? 'PASS' : 'FAIL'} (p95 < ${TARGET_MS} ms)`;
  return [
    `  ${measurement.name.padEnd(48)}`,
    `p50 ${measurement.p50.toFixed(2).padStart(6)} ms`,
    `p95 ${measurement.p95.toFixed(2).padStart(6)} ms`,
    `max ${measurement.max.toFixed(2).padStart(6)} ms`,
    `x${measurement.ratio.toFixed(2)} baseline p50${verdict}`,
  ].join('  ');
}
