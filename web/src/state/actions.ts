import { request } from '../api/graphql';
import {
  DashboardAcknowledgeAlertDocument,
  DashboardRefreshWorkerDocument,
  DashboardStartWorkerDocument,
  DashboardStopWorkerDocument,
  DashboardTerminateWorkerDocument,
} from '../generated/graphql';
import { detailEvents } from './detail';
import { applyAlerts, upsertWorkers } from './fleet';

export type WorkerAction = 'start' | 'stop' | 'refresh' | 'terminate';

/** Runs an action; the worker's row shows what the API answered. Rejects with the API's error. */
export async function runWorkerAction(action: WorkerAction, id: string): Promise<void> {
  switch (action) {
    case 'start':
      upsertWorkers([(await request(DashboardStartWorkerDocument, { id })).startWorker]);
      return;
    case 'stop':
      upsertWorkers([(await request(DashboardStopWorkerDocument, { id })).stopWorker]);
      return;
    case 'refresh':
      upsertWorkers([(await request(DashboardRefreshWorkerDocument, { id })).refreshWorker]);
      return;
    case 'terminate':
      upsertWorkers([(await request(DashboardTerminateWorkerDocument, { id })).terminateWorker]);
      return;
  }
}

export async function acknowledgeAlert(id: string): Promise<void> {
  const { acknowledgeAlert: alert } = await request(DashboardAcknowledgeAlertDocument, { id });
  applyAlerts([alert]);
  detailEvents.alert(alert);
}
