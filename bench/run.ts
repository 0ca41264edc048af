import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem, type as osType, release } from 'node:os';
import path from 'node:path';
import { dashboardBenchmark } from './dashboard.bench';
import { emulatorBenchmark } from './emulator.bench';
import { fanoutBenchmark } from './fanout.bench';
import { pollBenchmark } from './poll.bench';
import { queryBenchmark } from './query.bench';
import { seriesBenchmark } from './series.bench';
import { openEnvironment } from './support/environment';
import { type Benchmark, type BenchResult, type BenchSize, formatTable } from './support/report';

/** Every benchmark, in the order they run. */
const BENCHMARKS: Benchmark[] = [
  pollBenchmark,
  fanoutBenchmark,
  queryBenchmark,
  seriesBenchmark,
  emulatorBenchmark,
  dashboardBenchmark,
];

const RESULTS_DIR = path.join(__dirname, '..', '..', 'bench', 'results');

async function main(): Promise<void> {
  // The SDK warns of Node versions it will stop supporting; a benchmark's output is no place.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { names, size } = parseArguments(process.argv.slice(2));
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  }
  const selected = BENCHMARKS.filter(
    (benchmark) => names.length === 0 || names.includes(benchmark.name),
  );
  const env = await openEnvironment();
  const log = (line: string) => console.log(line);
  const results: BenchResult[] = [];
  try {
    for (const benchmark of selected) {
      log(`\n== ${benchmark.name} (${size})`);
      const result = await benchmark.run({ size, env, log });
      results.push(result);
      printResult(result);
    }
  } finally {
    await env.close();
  }
  const file = await writeResults(results, size, env.description);
  log(`\nResults written to ${path.relative(process.cwd(), file)}`);
  const missed = results.flatMap((result) =>
    result.targets
      .filter((target) => !target.passed)
      .map((target) => `${result.name}: ${target.name}`),
  );
  if (missed.length > 0 && size === 'full') {
    console.error(`Targets missed:\n  ${missed.join('\n  ')}`);
    exitWithFailure();
  } else if (missed.length > 0) {
    // Targets are about the full sizes: 20 workers cannot amortize a batch's statements.
    log(`Targets missed at the tiny size, which they are not set for:\n  ${missed.join('\n  ')}`);
  }
}

/**
 * The embedded PostgreSQL's exit hook ends the process with 0 when the loop empties; the last
 * word on the exit code is ours.
 */
function exitWithFailure(): void {
  process.exitCode = 1;
  process.on('exit', () => {
    process.exitCode = 1;
  });
}

function parseArguments(args: readonly string[]): { names: string[]; size: BenchSize } {
  const size: BenchSize = args.includes('--tiny') ? 'tiny' : 'full';
  return { names: args.filter((arg) => !arg.startsWith('--')), size };
}

function printResult(result: BenchResult): void {
  console.log(`${result.description}\n`);
  console.log(formatTable(result.rows));
  for (const target of result.targets) {
    console.log(
      `${target.passed ? 'PASS' : 'FAIL'}  ${target.name}: ${target.actual} (target ${target.target})`,
    );
  }
}

async function writeResults(
  results: BenchResult[],
  size: BenchSize,
  stores: { postgres: string; redis: string },
): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const date = new Date();
  const commit = gitCommit();
  const names = results.map((result) => result.name).join('-');
  const file = path.join(
    RESULTS_DIR,
    `${date.toISOString().slice(0, 19).replace(/:/g, '')}-${names}${size === 'tiny' ? '-tiny' : ''}.json`,
  );
  const machine = {
    os: `${osType()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    ...stores,
  };
  await writeFile(
    file,
    `${JSON.stringify({ date: date.toISOString(), commit, size, machine, results }, null, 2)}\n`,
  );
  return file;
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
}

main().catch((error: unknown) => {
  console.error(error);
  exitWithFailure();
});
