import type { GroupNotice, NoticeAlert } from './group-notice';
import {
  countsOf,
  firingSinceOf,
  headlineOf,
  kindsOf,
  measureOf,
  placeOf,
  PRODUCT_NAME,
  sectionsOf,
  severityOf,
  workerText,
  type Section,
} from './notice-facts';
import type { OutgoingMail } from './outgoing';

/** Most alerts one email details per section; the counts tell the rest. */
const EMAIL_ALERTS_MAX = 100;

const SECTION_TITLES: Record<Section, string> = { firing: 'Firing', resolved: 'Resolved' };

interface Fact {
  label: string;
  value: string;
  /** The value is a URL, shown as a link. */
  link?: boolean;
}

interface AlertBlock {
  heading: string;
  facts: Fact[];
}

/** What the text and the HTML bodies both say, in the order they say it. */
interface Document {
  title: string;
  facts: Fact[];
  sections: { title: string; alerts: AlertBlock[]; notShown: number }[];
}

/**
 * An email with a text and an HTML body telling the same facts. Acknowledgements are not mailed
 * (null): whoever acknowledged already knows, and the others act on PagerDuty or Opsgenie.
 */
export function emailOf(
  notice: GroupNotice,
  addresses: { from: string; to: string[] },
): OutgoingMail | null {
  if (notice.type === 'ACKNOWLEDGED') {
    return null;
  }
  const document = documentOf(notice);
  return {
    from: addresses.from,
    to: addresses.to,
    subject: subjectOf(notice),
    text: textOf(document),
    html: htmlOf(document),
  };
}

/** `[CRITICAL] TERMINATED: 3 firing in us-east-1`; `[RESOLVED] [CRITICAL] …` once all resolved. */
function subjectOf(notice: GroupNotice): string {
  const resolved = notice.type === 'RESOLVED' && notice.groupResolved ? '[RESOLVED] ' : '';
  const place = placeOf(notice);
  const subject = `${resolved}[${severityOf(notice)}] ${kindsOf(notice)}: ${countsOf(notice)}${
    place ? ` ${place}` : ''
  }`;
  // A header holds one line, whatever a worker's name holds.
  return subject.replace(/\s+/g, ' ');
}

function documentOf(notice: GroupNotice): Document {
  return {
    title: headlineOf(notice),
    facts: [
      { label: 'Group', value: notice.group.key },
      { label: 'Alerts', value: countsOf(notice) },
      ...optional('Firing since', firingSinceOf(notice)),
      ...optional(`Open in ${PRODUCT_NAME}`, notice.link, true),
    ],
    sections: sectionsOf(notice).map(({ section, alerts, count }) => {
      const shown = alerts.slice(0, EMAIL_ALERTS_MAX);
      return {
        title: `${SECTION_TITLES[section]} (${count})`,
        alerts: shown.map((alert) => alertBlockOf(alert, section)),
        notShown: count - shown.length,
      };
    }),
  };
}

function alertBlockOf(alert: NoticeAlert, section: Section): AlertBlock {
  const { worker } = alert;
  const resolved = section === 'resolved';
  return {
    heading: `${alert.kind} on ${workerText(alert.workerId, worker)}`,
    facts: [
      { label: 'Worker', value: worker ? worker.name : `removed (${alert.workerId})` },
      ...optional('Instance', worker?.awsInstanceId),
      ...optional('Region', worker?.awsRegion),
      { label: 'Severity', value: alert.severity },
      ...optional('Measure', measureOf(alert)),
      { label: 'Message', value: alert.message },
      ...optional('Resolution', resolved ? alert.resolution : null),
      { label: 'Since', value: alert.startedAt },
      ...optional('Resolved at', resolved ? alert.resolvedAt : null),
      ...optional('Worker page', alert.link, true),
    ],
  };
}

/** The fact, or nothing when it has no value. */
function optional(label: string, value: string | null | undefined, link = false): Fact[] {
  return value === null || value === undefined ? [] : [{ label, value, link }];
}

function textOf(document: Document): string {
  const lines = [document.title, '', ...document.facts.map(textFact)];
  for (const section of document.sections) {
    lines.push('', section.title);
    for (const alert of section.alerts) {
      lines.push('', `- ${alert.heading}`, ...alert.facts.map((fact) => `  ${textFact(fact)}`));
    }
    if (section.notShown > 0) {
      lines.push('', `…and ${section.notShown} more`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function textFact(fact: Fact): string {
  return `${fact.label}: ${fact.value}`;
}

function htmlOf(document: Document): string {
  const parts = [
    '<!DOCTYPE html>',
    '<html><body style="font-family: sans-serif">',
    `<h1 style="font-size: 1.2em">${escapeHtml(document.title)}</h1>`,
    htmlFacts(document.facts),
  ];
  for (const section of document.sections) {
    parts.push(`<h2 style="font-size: 1.1em">${escapeHtml(section.title)}</h2>`);
    for (const alert of section.alerts) {
      parts.push(`<h3 style="font-size: 1em">${escapeHtml(alert.heading)}</h3>`);
      parts.push(htmlFacts(alert.facts));
    }
    if (section.notShown > 0) {
      parts.push(`<p>…and ${section.notShown} more</p>`);
    }
  }
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}

function htmlFacts(facts: Fact[]): string {
  const rows = facts.map((fact) => {
    const value = escapeHtml(fact.value);
    const cell = fact.link ? `<a href="${value}">${value}</a>` : value;
    return `<tr><th align="left">${escapeHtml(fact.label)}</th><td>${cell}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
