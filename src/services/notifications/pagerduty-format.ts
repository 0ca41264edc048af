import type { GroupNotice } from './group-notice';
import {
  headlineOf,
  kindOf,
  listedAlerts,
  newCountOf,
  PRODUCT_NAME,
  publishedAlert,
  regionOf,
  severityOf,
  singleWorkerOf,
  truncate,
} from './notice-facts';

/** PagerDuty's limit on `payload.summary`. */
const PAGERDUTY_SUMMARY_MAX = 1024;

/** Most alerts one event details: enough to triage, far below the Events API's 512 KB. */
const PAGERDUTY_ALERTS_MAX = 20;

/**
 * An Events API v2 event: one PagerDuty alert per group, deduplicated on the group's dedup key.
 * Every change while something fires re-triggers it, which updates its summary and details;
 * it resolves once nothing of the group fires. Reminders are not sent (null): PagerDuty
 * escalates by itself.
 */
export function pagerDutyEventOf(notice: GroupNotice, routingKey: string) {
  const addressed = { routing_key: routingKey, dedup_key: notice.group.dedupKey };
  switch (notice.type) {
    case 'REMINDER':
      return null;
    case 'ACKNOWLEDGED':
      return { ...addressed, event_action: 'acknowledge' };
    case 'RESOLVED':
      if (notice.groupResolved) {
        return { ...addressed, event_action: 'resolve' };
      }
      return trigger(notice, addressed);
    case 'FIRING':
      return trigger(notice, addressed);
  }
}

function trigger(notice: GroupNotice, addressed: { routing_key: string; dedup_key: string }) {
  const single = singleWorkerOf(notice);
  const alerts = listedAlerts(notice).slice(0, PAGERDUTY_ALERTS_MAX);
  return {
    ...addressed,
    event_action: 'trigger',
    payload: {
      summary: truncate(headlineOf(notice), PAGERDUTY_SUMMARY_MAX),
      source: single ? (single.worker?.awsInstanceId ?? single.workerId) : notice.group.key,
      severity: severityOf(notice).toLowerCase(),
      timestamp: notice.occurredAt,
      component: single?.worker?.name,
      group: regionOf(notice),
      class: kindOf(notice),
      custom_details: {
        group: notice.group.key,
        firingCount: notice.firingCount,
        newCount: newCountOf(notice),
        resolvedCount: notice.resolvedCount,
        link: notice.link,
        alerts: alerts.map(publishedAlert),
        alertsNotShown: notice.firingCount + notice.resolvedCount - alerts.length,
      },
    },
    ...(notice.link ? { links: [{ href: notice.link, text: `Open in ${PRODUCT_NAME}` }] } : {}),
  };
}
