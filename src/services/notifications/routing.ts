import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { AlertKind } from '../../entities/alert-kind.enum';
import type { ReceiverKind as StoredReceiverKind } from '../../entities/alert.enums';

type ReceiverKind = `${StoredReceiverKind}`;

/** Least to most severe. */
export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The alerts one receiver takes: from minSeverity up, of these kinds, in these regions (null: all). */
export interface ReceiverRoute {
  minSeverity: Severity;
  kinds: string[] | null;
  regions: string[] | null;
}

/** One entry of WORKER_NOTIFICATION_ROUTES (or its file); a field left out takes its default. */
export interface RouteRule {
  /** A receiver kind by its route name (`webhook`, `slack`...), or the URL of one webhook. */
  receiver: string;
  minSeverity?: Severity;
  kinds?: string[];
  regions?: string[];
}

/** How routes name the receiver kinds: `webhook` is every CloudEvents webhook. */
const ROUTE_NAMES: Record<ReceiverKind, string> = {
  CLOUDEVENTS: 'webhook',
  SLACK: 'slack',
  PAGERDUTY: 'pagerduty',
  OPSGENIE: 'opsgenie',
  EMAIL: 'email',
};

/** The receiver kind a rule's receiver names; undefined: it names one webhook by its URL. */
export function kindNamed(receiver: string): ReceiverKind | undefined {
  return (Object.keys(ROUTE_NAMES) as ReceiverKind[]).find(
    (kind) => ROUTE_NAMES[kind] === receiver,
  );
}

/**
 * The route of a receiver: the rule naming its URL (webhooks only), else the rule naming its
 * kind, else the default. The rule that applies applies whole: a field it leaves out takes the
 * default, not the value of a less specific rule.
 */
export function routeFor(
  receiver: { kind: ReceiverKind; url: string },
  rules: readonly RouteRule[],
): ReceiverRoute {
  const isWebhook = receiver.kind === 'CLOUDEVENTS' || receiver.kind === 'SLACK';
  const rule =
    (isWebhook ? rules.find((r) => hrefOf(r.receiver) === receiver.url) : undefined) ??
    rules.find((r) => r.receiver === ROUTE_NAMES[receiver.kind]);
  return {
    minSeverity: rule?.minSeverity ?? defaultMinSeverity(receiver.kind),
    kinds: rule?.kinds ?? null,
    regions: rule?.regions ?? null,
  };
}

/** PagerDuty and Opsgenie page a person: INFO alerts (an idle worker, a stop asked for) are not worth it. */
function defaultMinSeverity(kind: ReceiverKind): Severity {
  return kind === 'PAGERDUTY' || kind === 'OPSGENIE' ? 'WARNING' : 'INFO';
}

const RULE_KEYS = ['receiver', 'minSeverity', 'kinds', 'regions'];
const ALERT_KINDS: readonly string[] = Object.values(AlertKind);
/** The shape of AWS region names, as config.ts's AWS_REGION_PATTERN (which imports this file). */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const RECEIVERS_EXPECTED = `${Object.values(ROUTE_NAMES).join(', ')}, or a URL of WORKER_NOTIFICATION_WEBHOOKS`;

type Problems = string[];

/**
 * Reads route rules from YAML (JSON is YAML too): a list of rules, or a mapping whose only key
 * `routes` holds that list. Every problem is listed, each as `${origin}: ${place}: ${problem}`
 * with places such as `routes[2].kinds[0]` (counted from 0); no problem shows a URL, whose
 * path or query may be a credential.
 */
export function parseRoutes(
  text: string,
  origin: string,
): { rules: RouteRule[] } | { errors: string[] } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    return { errors: document.errors.map((error) => `${origin}: ${syntaxError(error, lines)}`) };
  }
  let content: unknown;
  try {
    content = document.toJS();
  } catch (error) {
    // An alias bomb: yaml refuses to expand it.
    return { errors: [`${origin}: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const problems: Problems = [];
  const entries = entriesOf(content, problems);
  const named = new Map<string, string>();
  const rules = entries.flatMap((entry, index) =>
    ruleOf(entry, `routes[${index}]`, named, problems),
  );
  return problems.length > 0
    ? { errors: problems.map((problem) => `${origin}: ${problem}`) }
    : { rules };
}

function syntaxError(error: YAMLError, lines: LineCounter): string {
  const { line, col } = lines.linePos(error.pos[0]);
  return `not YAML or JSON at line ${line}, column ${col}: ${error.message.split('\n')[0]}`;
}

function entriesOf(content: unknown, problems: Problems): unknown[] {
  if (Array.isArray(content)) {
    return content;
  }
  if (!isMapping(content)) {
    problems.push('expected a list of routes, or a mapping with routes: (that list)');
    return [];
  }
  for (const key of Object.keys(content).filter((key) => key !== 'routes')) {
    problems.push(`${unknownKey(key)} (the top level holds routes: only)`);
  }
  if (!Array.isArray(content.routes)) {
    problems.push('routes: expected a list of routes');
    return [];
  }
  return content.routes;
}

/** `named`: the place of the rule of each receiver so far. */
function ruleOf(
  entry: unknown,
  place: string,
  named: Map<string, string>,
  problems: Problems,
): RouteRule[] {
  if (!isMapping(entry)) {
    problems.push(`${place}: expected a mapping such as { receiver: email, minSeverity: WARNING }`);
    return [];
  }
  for (const key of Object.keys(entry).filter((key) => !RULE_KEYS.includes(key))) {
    problems.push(`${place}: ${unknownKey(key)} (the keys are ${RULE_KEYS.join(', ')})`);
  }
  const receiver = receiverOf(entry.receiver, `${place}.receiver`, problems);
  if (receiver !== undefined) {
    refuseTwice(receiver, place, named, problems);
  }
  const minSeverity = severityOf(entry.minSeverity, `${place}.minSeverity`, problems);
  const kinds = listOf(entry.kinds, `${place}.kinds`, problems, {
    what: 'an alert kind',
    valid: (kind) => ALERT_KINDS.includes(kind),
    expected: `one of ${ALERT_KINDS.join(', ')}`,
    every: 'every kind',
  });
  const regions = listOf(entry.regions, `${place}.regions`, problems, {
    what: 'an AWS region',
    valid: (region) => AWS_REGION.test(region),
    expected: 'such as eu-west-1',
    every: 'every region',
  });
  return receiver === undefined ? [] : [{ receiver, minSeverity, kinds, regions }];
}

/** A route name, or a URL as `URL.href` (so that spellings of one URL are one receiver). */
function receiverOf(value: unknown, place: string, problems: Problems): string | undefined {
  if (value === undefined) {
    problems.push(`${place}: missing (${RECEIVERS_EXPECTED})`);
    return undefined;
  }
  if (typeof value === 'string' && kindNamed(value) !== undefined) {
    return value;
  }
  const href = typeof value === 'string' ? hrefOf(value) : undefined;
  if (href === undefined) {
    problems.push(`${place}: ${shown(value)} is not a receiver (${RECEIVERS_EXPECTED})`);
  }
  return href;
}

function severityOf(value: unknown, place: string, problems: Problems): Severity | undefined {
  const severity = SEVERITIES.find((candidate) => candidate === value);
  if (value !== undefined && severity === undefined) {
    problems.push(`${place}: ${shown(value)} is not a severity (one of ${SEVERITIES.join(', ')})`);
  }
  return severity;
}

interface ListRule {
  what: string;
  valid: (item: string) => boolean;
  expected: string;
  every: string;
}

function listOf(
  value: unknown,
  place: string,
  problems: Problems,
  list: ListRule,
): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`${place}: expected a list, each item ${list.what} (${list.expected})`);
    return undefined;
  }
  if (value.length === 0) {
    // An empty list would take nothing: a route to nowhere.
    problems.push(`${place}: empty; leave it out to take ${list.every}`);
    return undefined;
  }
  const items: string[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'string' || !list.valid(item)) {
      problems.push(`${place}[${index}]: ${shown(item)} is not ${list.what} (${list.expected})`);
    } else if (items.includes(item)) {
      problems.push(`${place}[${index}]: ${shown(item)} is listed already`);
    } else {
      items.push(item);
    }
  });
  return items;
}

/** One receiver, one rule: with two, which one applies would be a guess. */
function refuseTwice(
  receiver: string,
  place: string,
  named: Map<string, string>,
  problems: Problems,
): void {
  const earlier = named.get(receiver);
  if (earlier === undefined) {
    named.set(receiver, place);
  } else {
    const what = kindNamed(receiver) ? shown(receiver) : 'this webhook URL';
    problems.push(`${place}.receiver: ${what} has a rule already (${earlier})`);
  }
}

function hrefOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function unknownKey(key: string): string {
  return isWord(key) ? `unknown key ${JSON.stringify(key)}` : 'an unknown key';
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain word is no secret; other text may be a URL, whose path or query may be one. */
function isWord(text: string): boolean {
  return /^[\w.-]{1,64}$/.test(text);
}

/** A value as a problem may show it. */
function shown(value: unknown): string {
  if (typeof value === 'string') {
    return isWord(value) ? JSON.stringify(value) : 'this text';
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return Array.isArray(value) ? 'a list' : 'a mapping';
}
