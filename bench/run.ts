import { run as runEmulatorBench } from './emulator.bench';

interface Benchmark {
  name: string;
  run: () => Promise<{ passed: boolean }>;
}

/** Every benchmark, in the order they run; each prints its own numbers and verdict. */
const BENCHMARKS: Benchmark[] = [{ name: 'emulator', run: () => runEmulatorBench() }];

async function main(): Promise<void> {
  const failed: string[] = [];
  for (const benchmark of BENCHMARKS) {
    const report = await benchmark.run();
    if (!report.passed) {
      failed.push(benchmark.name);
    }
  }
  if (failed.length > 0) {
    console.error(`Benchmarks missing their target: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
