import { pino, Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'cml-worker-monitor' },
    redact: {
      paths: ['*.password', '*.secret', '*.authorization', 'config.redis.url'],
      censor: '[secret]',
    },
  });
}
