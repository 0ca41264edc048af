import { signal } from '@preact/signals';
import { messageOf, request } from '../api/graphql';
import { DashboardAuditEventsDocument, type AuditRowFragment } from '../generated/graphql';
import { apiFilter, type AuditFilter } from './audit-filter';

export interface AuditState {
  filter: AuditFilter;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  /** Newest first, as the API lists them, page after page. */
  events: readonly AuditRowFragment[];
  totalCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
}

export const audit = signal<AuditState | null>(null);

export const AUDIT_PAGE_SIZE = 50;

let sequence = 0;

/** The first page of records the filter matches, in place of any shown. */
export async function loadAudit(filter: AuditFilter): Promise<void> {
  const current = ++sequence;
  audit.value = {
    filter,
    loading: true,
    loadingMore: false,
    error: null,
    events: [],
    totalCount: null,
    endCursor: null,
    hasNextPage: false,
  };
  try {
    const { auditEvents } = await request(DashboardAuditEventsDocument, {
      filter: apiFilter(filter),
      first: AUDIT_PAGE_SIZE,
    });
    if (current === sequence && audit.value) {
      audit.value = {
        ...audit.value,
        loading: false,
        events: auditEvents.edges.map((edge) => edge.node),
        totalCount: auditEvents.totalCount,
        endCursor: auditEvents.pageInfo.endCursor,
        hasNextPage: auditEvents.pageInfo.hasNextPage,
      };
    }
  } catch (error) {
    if (current === sequence && audit.value) {
      audit.value = { ...audit.value, loading: false, error: messageOf(error) };
    }
  }
}

/** The next page after the last record shown. */
export async function loadMoreAudit(): Promise<void> {
  const state = audit.value;
  if (!state?.hasNextPage || state.loadingMore || state.endCursor === null) {
    return;
  }
  const current = sequence;
  audit.value = { ...state, loadingMore: true, error: null };
  try {
    const { auditEvents } = await request(DashboardAuditEventsDocument, {
      filter: apiFilter(state.filter),
      first: AUDIT_PAGE_SIZE,
      after: state.endCursor,
    });
    if (current === sequence && audit.value) {
      const shown = new Set(audit.value.events.map((event) => event.id));
      audit.value = {
        ...audit.value,
        loadingMore: false,
        events: [
          ...audit.value.events,
          ...auditEvents.edges.map((edge) => edge.node).filter((event) => !shown.has(event.id)),
        ],
        totalCount: auditEvents.totalCount,
        endCursor: auditEvents.pageInfo.endCursor,
        hasNextPage: auditEvents.pageInfo.hasNextPage,
      };
    }
  } catch (error) {
    if (current === sequence && audit.value) {
      audit.value = { ...audit.value, loadingMore: false, error: messageOf(error) };
    }
  }
}

export function closeAudit(): void {
  sequence += 1;
  audit.value = null;
}
