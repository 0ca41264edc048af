import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, Logger, type DestinationStream } from 'pino';
import PinoPretty from 'pino-pretty';

export type { Logger };

/**
 * JSON lines to `destination` (stdout by default), each with the active span's `trace_id` and
 * `span_id` when there is one.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cml-worker-monitor' },
      mixin: traceContext,
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
          'config.cml.credentials',
          'config.cml.credentialsKey',
          '*.credentialsKey',
          '*.cmlPasswordEncrypted',
          '*.token',
        ],
        censor: '[secret]',
      },
    },
    destination,
  );
}

/**
 * The service's own logger: coloured lines for a person at a terminal (`npm start`), JSON
 * lines for anything else (a pipe, a file, a log collector).
 */
export function createServiceLogger(level: string): Logger {
  return createLogger(level, process.stdout.isTTY ? prettyStdout() : undefined);
}

function prettyStdout(): DestinationStream {
  return PinoPretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    // Lines written just before process.exit must not be lost.
    sync: true,
  });
}

/** A new object each time: pino merges the line's fields into it. */
function traceContext(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) {
    return {};
  }
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
