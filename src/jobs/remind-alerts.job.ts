import type { NotificationService } from '../services/notifications/notification.service';
import type { JobHandler } from './scheduler';

/**
 * Re-notifies alerts still firing after WORKER_ALERT_REPEAT_INTERVAL, and queues again any
 * notification whose delivery job was lost (a process that died between storing the alert and
 * queueing its job).
 */
export function remindAlertsHandler(
  notifications: NotificationService,
): JobHandler<'remind-alerts'> {
  return async () => {
    await notifications.remind();
    await notifications.requeueStalled();
  };
}
