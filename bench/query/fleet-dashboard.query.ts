/** Samples and alerts the dashboard shows beside each worker. */
export const SAMPLES_PER_WORKER = 10;
export const ALERTS_PER_WORKER = 5;

/**
 * What the operators' fleet page asks for: a page of workers, each with its newest samples (a
 * sparkline) and its newest alerts. The hand-written handler answers the same request with the
 * same JSON, keys in this order.
 */
export const FLEET_DASHBOARD_QUERY = `query FleetDashboard($first: Int!) {
  workers(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id
        name
        awsRegion
        awsInstanceId
        instanceType
        status
        statusChecks { system instance }
        cpuUtilization
        memoryUtilization
        thresholds { cpu memory }
        monitoringEnabled
        lastPolledAt
        lastTransitionAt
        pollError { message occurredAt consecutiveFailures }
        metrics(limit: ${SAMPLES_PER_WORKER}) {
          collectedAt
          status
          cpuUtilization
          memoryUtilization
        }
        alerts(limit: ${ALERTS_PER_WORKER}) {
          id
          kind
          severity
          state
          value
          threshold
          message
          startedAt
          resolvedAt
          acknowledgedAt
        }
      }
    }
  }
}`;

/** The POST body both handlers take. */
export function dashboardRequest(first: number): string {
  return JSON.stringify({ query: FLEET_DASHBOARD_QUERY, variables: { first } });
}

/** The answer's shape, for the checks on it; timestamps are ISO strings once in JSON. */
export interface DashboardResponse {
  data?: {
    workers: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: { metrics: unknown[]; alerts: unknown[] } }[];
    };
  };
  errors?: unknown[];
}
