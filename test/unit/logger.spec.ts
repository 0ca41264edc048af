import { hostname } from 'node:os';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createLogger, type Logger } from '../../src/logger';

function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const logger = createLogger('info', { write: (line: string) => written.push(line) });
  return {
    logger,
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe(createLogger.name, () => {
  const provider = new NodeTracerProvider();

  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('should put the active trace and span ids on each line', () => {
    const { logger, lines } = capturingLogger();
    const span = provider.getTracer('test').startSpan('query workers');

    context.with(trace.setSpan(context.active(), span), () => logger.info('page served'));
    span.end();

    const [line] = lines();
    expect(line.msg).toBe('page served');
    expect(line.trace_id).toBe(span.spanContext().traceId);
    expect(line.span_id).toBe(span.spanContext().spanId);
  });

  it('should write no trace ids outside a span', () => {
    const { logger, lines } = capturingLogger();

    logger.info('started');

    const [line] = lines();
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
  });

  it('should keep the trace ids on the lines of a child logger', () => {
    const { logger, lines } = capturingLogger();
    const span = provider.getTracer('test').startSpan('poll.batch');

    context.with(trace.setSpan(context.active(), span), () =>
      logger.child({ component: 'polling' }).warn('polling a worker failed'),
    );
    span.end();

    expect(lines()[0]).toMatchObject({
      component: 'polling',
      trace_id: span.spanContext().traceId,
    });
  });

  it("should say which process and host wrote each line, and the service by OTEL_SERVICE_NAME's name", () => {
    const written: string[] = [];
    const logger = createLogger('info', { write: (line: string) => written.push(line) }, 'lab-a');

    logger.child({ component: 'polling' }).info('polled');

    expect(JSON.parse(written[0])).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      service: 'lab-a',
      component: 'polling',
    });
  });

  it('should still redact secrets', () => {
    const { logger, lines } = capturingLogger();

    logger.info(
      { config: { metricsToken: 'scrape-token', notifications: { webhookSecret: 'hmac-key' } } },
      'config loaded',
    );

    const [line] = lines();
    expect(JSON.stringify(line)).not.toMatch(/scrape-token|hmac-key/);
    expect(line.config).toMatchObject({ metricsToken: '[secret]' });
  });
});
