import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export const PROMETHEUS_DIR = path.join(__dirname, '..', '..', 'deploy', 'prometheus');
export const RULES_FILE = path.join(PROMETHEUS_DIR, 'rules.yml');
export const DASHBOARD_FILE = path.join(
  __dirname,
  '..',
  '..',
  'deploy',
  'grafana',
  'cml-worker-monitor.json',
);

export interface PromtoolResult {
  status: number | null;
  /** stdout and stderr together, as promtool spreads its findings over both. */
  output: string;
}

/**
 * Runs Prometheus' promtool. Missing, it fails the test rather than skipping it: CI installs
 * it (Debian's `prometheus` package), and a check that silently never runs checks nothing.
 */
export function promtool(
  args: string[],
  options: { input?: string; cwd?: string } = {},
): PromtoolResult {
  const result = spawnSync('promtool', args, {
    input: options.input,
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1_048_576,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      'promtool is not installed: install Prometheus (Debian/Ubuntu: apt-get install prometheus) to run these checks',
    );
  }
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `promtool check rules` on rules recording each expression: it fails on any that do not parse. */
export function checkExpressions(expressions: string[]): PromtoolResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'cwm-promql-'));
  try {
    const file = path.join(dir, 'expressions.yml');
    const rules = expressions.map((expr, i) => ({ record: `check:expression_${i}`, expr }));
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'expressions', rules }] }));
    return promtool(['check', 'rules', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}

export function ruleFile(): RuleFile {
  return parse(readFileSync(RULES_FILE, 'utf8')) as RuleFile;
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { type: string; uid: string } }[];
}

export interface Dashboard {
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** What Grafana puts in place of the dashboard's variables before sending a query. */
export function withGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval/g, '5m')
    .replace(/\$\{?(region|worker)\}?/g, '.*');
}

/** The service's own metric names an expression reads (`cwm_`, and Node's process metrics). */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/\b(cwm|process|nodejs)_[a-z0-9_]+\b/g) ?? [])];
}

/** The sample names of an exposition text (histograms' `_bucket`, `_sum`, `_count` included). */
export function exposedNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? ''),
  );
}
