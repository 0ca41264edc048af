import type { Outgoing } from './outgoing';
import type { NotificationSettings } from './receivers';
import { SmtpSender } from './smtp-sender';
import { sendRequest, type DeliveryResult } from './webhook-sender';

/**
 * Sends what buildOutgoing built, over HTTP or SMTP, once, and says how it went. Never throws.
 * Holds the SMTP connections, so `close` it at shutdown.
 */
export class NotificationSender {
  private readonly smtp: SmtpSender | undefined;

  constructor(private readonly settings: NotificationSettings) {
    this.smtp = settings.email && new SmtpSender(settings.email, settings.timeoutMs);
  }

  send(outgoing: Outgoing): Promise<DeliveryResult> {
    switch (outgoing.transport) {
      case 'http':
        return sendRequest(outgoing, this.settings.timeoutMs);
      case 'smtp':
        return this.smtp
          ? this.smtp.send(outgoing.message)
          : Promise.resolve({
              ok: false,
              retryable: false,
              status: null,
              error: 'email is not configured',
            });
    }
  }

  close(): Promise<void> {
    return this.smtp?.close() ?? Promise.resolve();
  }
}
