/**
 * Apart from its GraphQL registration (alert.enums.ts): the configuration reads alert kinds
 * (notification routes), and it loads before tracing starts, which must come before graphql.
 */
export enum AlertKind {
  CPU_HIGH = 'CPU_HIGH',
  MEMORY_HIGH = 'MEMORY_HIGH',
  STOPPED_UNEXPECTEDLY = 'STOPPED_UNEXPECTEDLY',
  TERMINATED = 'TERMINATED',
  STATUS_CHECK_FAILED = 'STATUS_CHECK_FAILED',
  IDLE = 'IDLE',
  CML_UNAVAILABLE = 'CML_UNAVAILABLE',
  LICENSE_INVALID = 'LICENSE_INVALID',
  LICENSE_EXPIRING = 'LICENSE_EXPIRING',
}
