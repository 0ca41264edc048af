import { pino, Logger, type DestinationStream } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cml-worker-monitor' },
      redact: {
        paths: [
          '*.password',
          '*.secret',
          '*.authorization',
          'config.redis.url',
          // Webhook URLs can carry a token in their path (Slack's do).
          '*.webhookSecret',
          '*.webhookUrls',
          '*.routingKey',
          'config.notifications.webhookSecret',
          'config.notifications.webhookUrls',
          'config.notifications.pagerDuty.routingKey',
          'config.metricsToken',
        ],
        censor: '[secret]',
      },
    },
    destination,
  );
}
