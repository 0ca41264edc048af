import type { GroupNotice, NoticeAlert } from './group-notice';
import {
  capLines,
  countsOf,
  detailOf,
  headlineOf,
  listedAlerts,
  newCountOf,
  PRODUCT_NAME,
  sectionsOf,
  severityOf,
  singleWorkerOf,
  truncate,
  workerText,
  type Section,
  type Severity,
} from './notice-facts';
import { jsonRequest, type OutgoingRequest } from './outgoing';

/** The Alert API's limits on a create request's fields. */
const MESSAGE_MAX = 130;
const DESCRIPTION_MAX = 15_000;
const SOURCE_MAX = 100;
const ENTITY_MAX = 512;
const TAGS_MAX = 20;
const TAG_MAX = 50;

const PRIORITIES: Record<Severity, string> = { CRITICAL: 'P1', WARNING: 'P3', INFO: 'P5' };

const SECTION_TITLES: Record<Section, string> = { firing: 'Firing:', resolved: 'Resolved:' };

export interface OpsgenieSettings {
  apiKey: string;
  /** No trailing slash, e.g. https://api.eu.opsgenie.com. */
  apiUrl: string;
}

/**
 * An Alert API v2 request: one Opsgenie alert per group, its alias the group's dedup key, closed
 * once nothing of the group fires. Null for the notices Opsgenie has no use for: creating an
 * alert on an alias already open only bumps its count, so reminders and partial resolutions
 * would tell it nothing.
 */
export function opsgenieRequestOf(
  notice: GroupNotice,
  opsgenie: OpsgenieSettings,
  source: string,
): OutgoingRequest | null {
  const alias = notice.group.dedupKey;
  const action = `${opsgenie.apiUrl}/v2/alerts/${encodeURIComponent(alias)}`;
  const actor = { source: truncate(source, SOURCE_MAX), note: headlineOf(notice) };
  switch (notice.type) {
    case 'FIRING':
      return request(opsgenie, `${opsgenie.apiUrl}/v2/alerts`, createBody(notice, source));
    case 'ACKNOWLEDGED':
      return request(opsgenie, `${action}/acknowledge?identifierType=alias`, actor);
    case 'RESOLVED':
      return notice.groupResolved
        ? request(opsgenie, `${action}/close?identifierType=alias`, actor)
        : null;
    case 'REMINDER':
      return null;
  }
}

function request(opsgenie: OpsgenieSettings, url: string, payload: unknown): OutgoingRequest {
  return jsonRequest(url, payload, { authorization: `GenieKey ${opsgenie.apiKey}` });
}

function createBody(notice: GroupNotice, source: string) {
  const single = singleWorkerOf(notice);
  const severity = severityOf(notice);
  const details: Record<string, string> = {
    group: notice.group.key,
    firing: String(notice.firingCount),
    new: String(newCountOf(notice)),
    resolved: String(notice.resolvedCount),
  };
  if (notice.link) {
    details.link = notice.link;
  }
  return {
    message: truncate(headlineOf(notice), MESSAGE_MAX),
    alias: notice.group.dedupKey,
    description: descriptionOf(notice),
    source: truncate(source, SOURCE_MAX),
    entity: truncate(
      single ? (single.worker?.name ?? single.workerId) : notice.group.key,
      ENTITY_MAX,
    ),
    tags: tagsOf(notice, severity),
    details,
    priority: PRIORITIES[severity],
  };
}

/** The alert list, each section within its share of the description's limit. */
function descriptionOf(notice: GroupNotice): string {
  const header = countsOf(notice);
  const footer = notice.link ? [`Open in ${PRODUCT_NAME}: ${notice.link}`] : [];
  const sections = sectionsOf(notice);
  // Each section and the footer also take the newline that separates them from what precedes.
  const footerLength = footer.reduce((length, line) => length + 1 + line.length, 0);
  const room = DESCRIPTION_MAX - header.length - footerLength;
  const share = Math.floor(room / Math.max(sections.length, 1));
  const body = sections.flatMap(({ section, alerts, count }) => {
    const title = SECTION_TITLES[section];
    const lines = alerts.map((alert) => alertLine(alert, section));
    return [title, ...capLines(lines, count, { maxChars: share - title.length - 2 })];
  });
  return [header, ...body, ...footer].join('\n');
}

/** `- CPU_HIGH lab-3 (i-0abc, us-east-1): CPU 97 % above 90 %, since … https://…` */
function alertLine(alert: NoticeAlert, section: Section): string {
  const when =
    section === 'resolved' && alert.resolvedAt
      ? `resolved at ${alert.resolvedAt}`
      : `since ${alert.startedAt}`;
  const link = alert.link ? ` ${alert.link}` : '';
  return `- ${alert.kind} ${workerText(alert.workerId, alert.worker)}: ${detailOf(alert, section)}, ${when}${link}`;
}

/** The kinds, the severity and the regions, the fields Opsgenie's searches and policies match on. */
function tagsOf(notice: GroupNotice, severity: Severity): string[] {
  const alerts = listedAlerts(notice);
  const tags = new Set([
    ...alerts.map((alert) => alert.kind),
    severity,
    ...alerts.flatMap((alert) => alert.worker?.awsRegion ?? []),
  ]);
  return [...tags].slice(0, TAGS_MAX).map((tag) => truncate(tag, TAG_MAX));
}
