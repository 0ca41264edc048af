import type { NotificationService } from '../services/notifications/notification.service';
import type { JobHandler } from './scheduler';

/**
 * Sends what the notification groups have due (their wait or interval is over, a reminder, a
 * silence ended), and queues again any notification whose delivery job was lost (a process that
 * died between storing the notification and queueing its job).
 */
export function notifyAlertGroupsHandler(
  notifications: NotificationService,
): JobHandler<'notify-alert-groups'> {
  return async () => {
    await notifications.flushDue();
    await notifications.requeueStalled();
  };
}
