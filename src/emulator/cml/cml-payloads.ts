import type { EmulatedInstance } from '../instance-lifecycle';
import { curveValue, type MetricKind } from '../metric-curves';
import type { CmlLab, EmulatedCml, LabState } from './emulated-cml';

/** The release the emulated controllers claim to run. */
const CML_VERSION = '2.8.1+build.6';
export const CML_HOSTNAME = 'cml-controller';
const CPU_COUNT = 8;
const CPU_MODEL = 'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz';
const GIB = 1024 ** 3;
const MEMORY_BYTES = 32 * GIB;
const DISK_BYTES = 256 * GIB;
// The controller's own footprint, and what each deployed node's disk image adds to it.
const BASE_DISK_BYTES = 48 * GIB;
const DISK_BYTES_PER_NODE = 2 * GIB;
const CPUS_PER_RUNNING_NODE = 1;
const MEMORY_MIB_PER_RUNNING_NODE = 2048;

/** CML's node states for a lab's state: a started lab's nodes have booted. */
function nodeState(labState: LabState): string {
  return labState === 'STARTED' ? 'BOOTED' : labState;
}

// Nodes with a domain on the compute host (queued ones wait for one), and those that run.
const DEPLOYED: ReadonlySet<string> = new Set(['STOPPED', 'BOOTED']);
const RUNNING: ReadonlySet<string> = new Set(['BOOTED']);

/** How many nodes run across every lab (the count licensing and allocation go by). */
export function runningNodes(cml: EmulatedCml): number {
  return nodeCount(cml, RUNNING);
}

export function systemInformation(ready: boolean): object {
  return { version: CML_VERSION, ready, allow_ssh_pubkey_auth: false, oui: '52:54:00:00:00:00' };
}

/** Only a valid license that has not expired makes the controller licensed. */
export function systemHealth(cml: EmulatedCml, ready: boolean): object {
  return {
    valid: ready,
    computes: {
      [cml.computeId]: {
        kvm_vmx_enabled: true,
        enough_cpus: true,
        lld_connected: ready,
        lld_synced: ready,
        libvirt: true,
        fabric: true,
        device_mux: true,
        refplat_images_available: true,
        docker_shim: true,
        valid: ready,
        admission_state: 'READY',
        is_controller: true,
        hostname: CML_HOSTNAME,
      },
    },
    is_licensed: cml.license === 'valid' && cml.licenseExpiresAt > cml.now(),
    is_enterprise: true,
    controller: { core_connected: true, nodes_loaded: ready, images_loaded: ready, valid: ready },
  };
}

/**
 * CPU and memory are the instance's own CloudWatch values of the current minute, so the
 * controller and EC2 agree; node figures follow the labs.
 */
export function systemStats(cml: EmulatedCml, instance: EmulatedInstance): object {
  const now = cml.now();
  const cpuPercent = utilization(instance, 'cpu', now);
  const memoryUsed = Math.round((utilization(instance, 'memory', now) / 100) * MEMORY_BYTES);
  const memory = { total: MEMORY_BYTES, free: MEMORY_BYTES - memoryUsed, used: memoryUsed };
  const diskUsed = BASE_DISK_BYTES + nodeCount(cml, DEPLOYED) * DISK_BYTES_PER_NODE;
  const disk = { total: DISK_BYTES, free: DISK_BYTES - diskUsed, used: diskUsed };
  const running = runningNodes(cml);
  // A load average in step with the CPU: busy CPUs, as a count.
  const load = Math.round((cpuPercent / 100) * CPU_COUNT * 100) / 100;
  return {
    computes: {
      [cml.computeId]: {
        hostname: CML_HOSTNAME,
        is_controller: true,
        stats: {
          cpu: {
            load: [load, load, load],
            count: CPU_COUNT,
            percent: cpuPercent,
            model: CPU_MODEL,
            predicted: running * CPUS_PER_RUNNING_NODE,
          },
          memory,
          disk,
          dominfo: {
            allocated_cpus: running * CPUS_PER_RUNNING_NODE,
            allocated_memory: running * MEMORY_MIB_PER_RUNNING_NODE,
            total_nodes: nodeCount(cml, DEPLOYED),
            total_orphans: 0,
            running_nodes: running,
            running_orphans: 0,
          },
        },
      },
    },
    all: { cpu: { count: CPU_COUNT, percent: cpuPercent }, memory, disk },
    controller: { disk },
  };
}

export function labInfo(cml: EmulatedCml, lab: CmlLab): object {
  return {
    state: lab.state,
    created: timestamp(lab.created),
    modified: timestamp(lab.modified),
    lab_title: lab.title,
    lab_description: '',
    lab_notes: '',
    owner: cml.userId(lab.ownerUsername),
    owner_username: lab.ownerUsername,
    node_count: lab.nodes.length,
    link_count: 0,
    id: lab.id,
    groups: [],
  };
}

/** A lab of `populate_lab_tiles`: its details with its nodes and their states. */
export function labTile(cml: EmulatedCml, lab: CmlLab): object {
  const state = nodeState(lab.state);
  return {
    ...labInfo(cml, lab),
    topology: {
      nodes: lab.nodes.map((node) => ({
        id: node.id,
        label: node.label,
        x: node.x,
        y: node.y,
        node_definition: node.nodeDefinition,
        image_definition: null,
        state,
        cpus: null,
        cpu_limit: null,
        ram: null,
        data_volume: null,
        boot_disk_size: null,
      })),
      links: [],
    },
  };
}

function nodeCount(cml: EmulatedCml, states: ReadonlySet<string>): number {
  return cml
    .labs()
    .filter((lab) => states.has(nodeState(lab.state)))
    .reduce((sum, lab) => sum + lab.nodes.length, 0);
}

function utilization(instance: EmulatedInstance, kind: MetricKind, now: number): number {
  return (
    instance.metricOverrides[kind]?.value ??
    curveValue(instance.curves[kind], kind, instance.seed, Math.floor(now / 60_000))
  );
}

/** CML's timestamps: ISO 8601 to the second, with an explicit UTC offset. */
function timestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}
