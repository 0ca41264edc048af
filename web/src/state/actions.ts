import { request } from '../api/graphql';
import {
  DashboardAcknowledgeAlertDocument,
  DashboardCreateSilenceDocument,
  DashboardCreateWorkerDocument,
  DashboardDiscoverInstancesDocument,
  DashboardExpireSilenceDocument,
  DashboardImportWorkerDocument,
  DashboardImportWorkersDocument,
  DashboardRefreshWorkerDocument,
  DashboardRemoveWorkerDocument,
  DashboardStartWorkerDocument,
  DashboardStopWorkerDocument,
  DashboardTerminateWorkerDocument,
  DashboardUpdateWorkerDocument,
  type CreateSilenceInput,
  type CreateWorkerInput,
  type DashboardDiscoverInstancesQuery,
  type DashboardImportWorkersMutation,
  type ImportWorkerInput,
  type InstanceDiscoveryFilter,
  type UpdateWorkerInput,
  type WorkerRowFragment,
} from '../generated/graphql';
import { detailEvents } from './detail';
import { importInputs, type DiscoveredInstance } from './discovery';
import { addWorkers, applyAlerts, forgetWorker, upsertWorkers } from './fleet';
import { putSilence } from './silences';
import { reloadAfterSilence } from './sync';

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

/** Rejects with the API's error; once made, the silence is listed and the alerts fetched again. */
export async function createSilence(input: CreateSilenceInput): Promise<void> {
  const { createSilence: silence } = await request(DashboardCreateSilenceDocument, { input });
  putSilence(silence);
  void reloadAfterSilence();
}

export async function expireSilence(id: string): Promise<void> {
  const { expireSilence: silence } = await request(DashboardExpireSilenceDocument, { id });
  putSilence(silence);
  void reloadAfterSilence();
}

/** A dialog's worth: more come a page at a time, on request. */
const DISCOVERY_PAGE_SIZE = 100;

/** One page of the instances no worker watches yet. */
export async function discoverInstances(
  filter: InstanceDiscoveryFilter,
  after?: string,
): Promise<DashboardDiscoverInstancesQuery['discoverInstances']> {
  const answer = await request(DashboardDiscoverInstancesDocument, {
    filter,
    first: DISCOVERY_PAGE_SIZE,
    after,
  });
  return answer.discoverInstances;
}

export type ImportResult = DashboardImportWorkersMutation['importWorkers'];

/** Registers the chosen instances; those imported are listed in the fleet at once. */
export async function importInstances(
  instances: readonly DiscoveredInstance[],
  selected: ReadonlySet<string>,
): Promise<ImportResult> {
  const { importWorkers } = await request(DashboardImportWorkersDocument, {
    inputs: importInputs(instances, selected),
  });
  addWorkers(importWorkers.imported);
  return importWorkers;
}

/** Launches an instance and registers it; listed at once. Rejects with the API's error. */
export async function createWorker(input: CreateWorkerInput): Promise<WorkerRowFragment> {
  const { createWorker: worker } = await request(DashboardCreateWorkerDocument, { input });
  addWorkers([worker]);
  return worker;
}

/** Registers an instance by its id; listed at once. Rejects with the API's error. */
export async function importWorker(input: ImportWorkerInput): Promise<WorkerRowFragment> {
  const { importWorker: worker } = await request(DashboardImportWorkerDocument, { input });
  addWorkers([worker]);
  return worker;
}

/** Changes a worker's settings; its row and page show what the API answered. */
export async function updateWorker(id: string, input: UpdateWorkerInput): Promise<void> {
  upsertWorkers([(await request(DashboardUpdateWorkerDocument, { id, input })).updateWorker]);
}

/**
 * Forgets the worker; its EC2 instance keeps running. Gone from the API already (removed
 * elsewhere meanwhile), it is gone here too.
 */
export async function removeWorker(id: string): Promise<void> {
  await request(DashboardRemoveWorkerDocument, { id });
  forgetWorker(id);
}
