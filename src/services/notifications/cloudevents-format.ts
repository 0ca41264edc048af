import type { GroupNotice } from './group-notice';
import { publishedAlert, publishedGroup, singleWorkerOf } from './notice-facts';

/**
 * One structured CloudEvents 1.0 event per notice. Group notices are typed
 * `com.cml.worker.alert.group.<firing|resolved|reminder>` and their subject is the group key; an
 * acknowledgement is about the alerts an operator acknowledged (listed in `firing`), so its
 * subject is their worker.
 */
export function cloudEventOf(notice: GroupNotice, source: string) {
  const envelope = {
    specversion: '1.0',
    id: notice.eventId,
    source,
    time: notice.occurredAt,
    datacontenttype: 'application/json',
  };
  if (notice.type === 'ACKNOWLEDGED') {
    return {
      ...envelope,
      type: 'com.cml.worker.alert.acknowledged',
      subject: singleWorkerOf(notice)?.workerId ?? notice.group.key,
      data: {
        group: publishedGroup(notice),
        alerts: notice.firing.map(publishedAlert),
        link: notice.link,
      },
    };
  }
  return {
    ...envelope,
    type: `com.cml.worker.alert.group.${notice.type.toLowerCase()}`,
    subject: notice.group.key,
    data: {
      group: publishedGroup(notice),
      type: notice.type,
      firingCount: notice.firingCount,
      resolvedCount: notice.resolvedCount,
      groupResolved: notice.groupResolved,
      link: notice.link,
      firing: notice.firing.map(publishedAlert),
      resolved: notice.resolved.map(publishedAlert),
    },
  };
}
