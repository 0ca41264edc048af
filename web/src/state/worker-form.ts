import type {
  CreateWorkerInput,
  ImportWorkerInput,
  ThresholdsInput,
  UpdateWorkerInput,
  WorkerRowFragment,
} from '../generated/graphql';

/** A dialog's fields as typed. The API checks them: its message says what it refuses. */
export interface CreateDraft {
  name: string;
  awsRegion: string;
  instanceType: string;
  amiId: string;
  cpu: string;
  memory: string;
  cmlEndpoint: string;
}

export interface ImportDraft {
  awsInstanceId: string;
  awsRegion: string;
  name: string;
}

export interface SettingsDraft {
  name: string;
  cpu: string;
  memory: string;
  monitoringEnabled: boolean;
}

/** Blank means "the service's default": the field is left out. */
const given = (text: string): string | undefined => {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
};

/** A percentage as typed; a number input gives "" for what is not a number. */
const percentOf = (text: string): number | undefined => {
  const value = given(text);
  return value === undefined ? undefined : Number(value);
};

function thresholdsOf(cpu: string, memory: string): ThresholdsInput | undefined {
  const thresholds = { cpu: percentOf(cpu), memory: percentOf(memory) };
  return thresholds.cpu === undefined && thresholds.memory === undefined ? undefined : thresholds;
}

export const createInput = (draft: CreateDraft): CreateWorkerInput => ({
  name: draft.name,
  awsRegion: given(draft.awsRegion),
  instanceType: given(draft.instanceType),
  amiId: given(draft.amiId),
  thresholds: thresholdsOf(draft.cpu, draft.memory),
  cmlEndpoint: given(draft.cmlEndpoint),
});

export const importInput = (draft: ImportDraft): ImportWorkerInput => ({
  awsInstanceId: draft.awsInstanceId.trim(),
  awsRegion: given(draft.awsRegion),
  name: given(draft.name),
});

export const settingsDraft = (worker: WorkerRowFragment): SettingsDraft => ({
  name: worker.name,
  cpu: String(worker.thresholds.cpu),
  memory: String(worker.thresholds.memory),
  monitoringEnabled: worker.monitoringEnabled,
});

/** Only what changed, so a save never writes back what someone else changed meanwhile; null: nothing. */
export function settingsChange(
  worker: WorkerRowFragment,
  draft: SettingsDraft,
): UpdateWorkerInput | null {
  const input: UpdateWorkerInput = {};
  if (draft.name.trim() !== worker.name) {
    input.name = draft.name;
  }
  const cpu = percentOf(draft.cpu);
  const memory = percentOf(draft.memory);
  const thresholds: ThresholdsInput = {
    ...(cpu !== undefined && cpu !== worker.thresholds.cpu ? { cpu } : {}),
    ...(memory !== undefined && memory !== worker.thresholds.memory ? { memory } : {}),
  };
  if (Object.keys(thresholds).length > 0) {
    input.thresholds = thresholds;
  }
  if (draft.monitoringEnabled !== worker.monitoringEnabled) {
    input.monitoringEnabled = draft.monitoringEnabled;
  }
  return Object.keys(input).length > 0 ? input : null;
}
