import type { GroupNotice, NoticeAlert } from './group-notice';
import {
  capLines,
  detailOf,
  headlineOf,
  kindOf,
  PRODUCT_NAME,
  sectionsOf,
  workerText,
  type Section,
} from './notice-facts';

/** Most alerts one message lists per section: a message is read in a channel, not searched. */
const SLACK_ALERTS_MAX = 10;

const EMOJI = {
  FIRING: ':rotating_light:',
  RESOLVED: ':white_check_mark:',
  REMINDER: ':repeat:',
} as const;

/** A section after the first, which the headline does not announce. */
const LATER_SECTION_TITLES: Record<Section, string> = {
  firing: 'Still firing:',
  resolved: 'Resolved:',
};

/**
 * An incoming-webhook `text` payload: the headline, then the first alerts of each section with
 * links to their workers. Slack is not told acknowledgements (null): they change nothing a
 * channel acts on.
 */
export function slackMessageOf(notice: GroupNotice): { text: string } | null {
  if (notice.type === 'ACKNOWLEDGED') {
    return null;
  }
  const showKind = kindOf(notice) === undefined;
  const lines = [`${EMOJI[notice.type]} ${escapeSlack(headlineOf(notice))}`];
  sectionsOf(notice).forEach(({ section, alerts, count }, index) => {
    if (index > 0) {
      lines.push(LATER_SECTION_TITLES[section]);
    }
    const alertLines = alerts.map((alert) => alertLine(alert, section, showKind));
    lines.push(...capLines(alertLines, count, { maxLines: SLACK_ALERTS_MAX }));
  });
  if (notice.link) {
    lines.push(link(notice.link, `Open in ${PRODUCT_NAME}`));
  }
  return { text: lines.join('\n') };
}

/** `• <https://…/#/workers/w1|lab-3> (i-0abc, us-east-1): CPU 97 % above 90 %` */
function alertLine(alert: NoticeAlert, section: Section, showKind: boolean): string {
  const { worker } = alert;
  const name = worker ? worker.name : workerText(alert.workerId, null);
  const where = worker ? ` (${escapeSlack(`${worker.awsInstanceId}, ${worker.awsRegion}`)})` : '';
  const kind = showKind ? `${escapeSlack(alert.kind)} ` : '';
  const who = alert.link ? link(alert.link, name) : escapeSlack(name);
  return `• ${kind}${who}${where}: ${escapeSlack(detailOf(alert, section))}`;
}

function link(url: string, text: string): string {
  return `<${escapeSlack(url)}|${escapeSlack(text)}>`;
}

/** Slack reads `&`, `<` and `>` as markup; these are the only escapes it asks for. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
