import { request } from '../api/graphql';
import {
  DashboardAcknowledgeAlertDocument,
  DashboardRefreshWorkerDocument,
  DashboardStartWorkerDocument,
  DashboardStopWorkerDocument,
  DashboardTerminateWorkerDocument,
  type WorkerRowFragment,
} from '../generated/graphql';
import { detailEvents } from './detail';
import { applyAlerts, upsertWorkers } from './fleet';

export type WorkerAction = 'start' | 'stop' | 'refresh' | 'terminate';

/** Each action's mutation, answering with the worker as the action left it. */
const MUTATIONS: Record<WorkerAction, (id: string) => Promise<WorkerRowFragment>> = {
  start: async (id) => (await request(DashboardStartWorkerDocument, { id })).startWorker,
  stop: async (id) => (await request(DashboardStopWorkerDocument, { id })).stopWorker,
  refresh: async (id) => (await request(DashboardRefreshWorkerDocument, { id })).refreshWorker,
  terminate: async (id) =>
    (await request(DashboardTerminateWorkerDocument, { id })).terminateWorker,
};

/** Runs an action; the worker's row shows what the API answered. Rejects with the API's error. */
export async function runWorkerAction(action: WorkerAction, id: string): Promise<void> {
  upsertWorkers([await MUTATIONS[action](id)]);
}

export async function acknowledgeAlert(id: string): Promise<void> {
  const { acknowledgeAlert: alert } = await request(DashboardAcknowledgeAlertDocument, { id });
  applyAlerts([alert]);
  detailEvents.alert(alert);
}
