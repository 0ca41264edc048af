import { hostname } from 'node:os';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, Logger, type DestinationStream } from 'pino';
import PinoPretty from 'pino-pretty';

export type { Logger };

const DEFAULT_SERVICE_NAME = 'cml-worker-monitor';

/**
 * JSON lines to `destination` (stdout by default), each with the process's `pid` and `hostname`,
 * `service` (OTEL_SERVICE_NAME, as spans name it) and the active span's `trace_id` and `span_id`
 * when there is one.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  service = DEFAULT_SERVICE_NAME,
): Logger {
  return pino(
    {
      level,
      // pino's own base, which a base of ours replaces: the lines of replicas must tell apart.
      base: { pid: process.pid, hostname: hostname(), service },
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
export function createServiceLogger(level: string, service?: string): Logger {
  return createLogger(level, process.stdout.isTTY ? prettyStdout() : undefined, service);
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
