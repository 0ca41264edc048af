/** One cell of a result table: a figure, a label, or nothing when it does not apply. */
export type Figure = number | string | boolean | null;

export type BenchRow = Record<string, Figure>;

/** A target of the benchmark and whether this run met it. */
export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  passed: boolean;
}

export interface BenchResult {
  name: string;
  /** What one row measures, in a sentence. */
  description: string;
  rows: BenchRow[];
  targets: TargetCheck[];
}

/** `full`: the sizes the targets are about; `tiny`: a few seconds, to prove the harness works. */
export type BenchSize = 'full' | 'tiny';

/** Where a benchmark runs: a database and a Redis key space no other run shares. */
export interface BenchEnvironment {
  /** A database of this run; each benchmark makes its schemas in it. */
  databaseUrl: string;
  /** Unset: the service runs on its in-process pub/sub. */
  redis: { url: string; keyPrefix: string } | undefined;
}

export interface BenchContext {
  size: BenchSize;
  env: BenchEnvironment;
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export function check(name: string, target: string, actual: string, passed: boolean): TargetCheck {
  return { name, target, actual, passed };
}

/** A table as plain text: one column per key met in any row, numbers right-aligned. */
export function formatTable(rows: readonly BenchRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => formatFigure(row[column])));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const render = (line: string[], numeric: boolean[]) =>
    line
      .map((cell, index) =>
        numeric[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const numericColumns = columns.map((column) =>
    rows.every((row) => typeof row[column] !== 'string'),
  );
  return [
    render(columns, numericColumns),
    render(
      widths.map((width) => '-'.repeat(width)),
      numericColumns,
    ),
    ...cells.map((line) => render(line, numericColumns)),
  ].join('\n');
}

export function formatFigure(figure: Figure | undefined): string {
  if (figure === null || figure === undefined) {
    return '-';
  }
  if (typeof figure === 'number') {
    if (Number.isInteger(figure)) {
      return String(figure);
    }
    return Math.abs(figure) >= 100 ? figure.toFixed(0) : figure.toFixed(2);
  }
  return String(figure);
}

/** The value at `rank` (0..1) of the samples, nearest-rank. */
export function percentile(sorted: readonly number[], rank: number): number {
  return sorted[Math.max(0, Math.ceil(rank * sorted.length) - 1)] ?? Number.NaN;
}

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? Number.NaN : value / baseline;
}
