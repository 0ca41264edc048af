import { createLogger, Logger } from '../../src/logger';

/** Tests keep their output clean; set TEST_LOG_LEVEL=debug to see the service's logs. */
export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
}
