import type { AuditEventFilter, AuditOutcome } from '../generated/graphql';

/** What the audit page is narrowed to; an empty field does not narrow it. */
export interface AuditFilter {
  /** The caller's exact name. */
  actor: string;
  workerId: string;
  operation: string;
  outcome: AuditOutcome | '';
}

export const NO_FILTER: AuditFilter = { actor: '', workerId: '', operation: '', outcome: '' };

/** Every mutation of the API: the audit log records each of them. */
export const AUDITED_OPERATIONS = [
  'acknowledgeAlert',
  'createSilence',
  'createWorker',
  'expireSilence',
  'importWorker',
  'importWorkers',
  'refreshWorker',
  'removeWorker',
  'startWorker',
  'stopWorker',
  'terminateWorker',
  'updateWorker',
] as const;

const OUTCOMES: readonly AuditOutcome[] = ['SUCCEEDED', 'FAILED'];

/** The filter a link or a bookmark carries, as in `#/audit?outcome=FAILED&worker=…`. */
export function filterFromQuery(query: string): AuditFilter {
  const params = new URLSearchParams(query);
  const outcome = params.get('outcome') ?? '';
  return {
    actor: params.get('actor')?.trim() ?? '',
    workerId: params.get('worker') ?? '',
    operation: params.get('operation') ?? '',
    outcome: OUTCOMES.find((known) => known === outcome) ?? '',
  };
}

export function queryOf(filter: AuditFilter): string {
  const params = new URLSearchParams();
  const fields: [string, string][] = [
    ['actor', filter.actor.trim()],
    ['worker', filter.workerId],
    ['operation', filter.operation],
    ['outcome', filter.outcome],
  ];
  for (const [name, value] of fields) {
    if (value !== '') {
      params.set(name, value);
    }
  }
  return params.toString();
}

export const sameFilter = (a: AuditFilter, b: AuditFilter): boolean => queryOf(a) === queryOf(b);

/** The API's filter: only the fields set. */
export function apiFilter(filter: AuditFilter): AuditEventFilter {
  const actor = filter.actor.trim();
  return {
    ...(actor === '' ? {} : { actor }),
    ...(filter.workerId === '' ? {} : { workerId: filter.workerId }),
    ...(filter.operation === '' ? {} : { operations: [filter.operation] }),
    ...(filter.outcome === '' ? {} : { outcome: filter.outcome }),
  };
}
