import type { AddLabRequest } from './cml/emulated-cml';
import type { EmulatedFleet } from './fleet.state';
import type { MetricCurve } from './metric-curves';

export interface DemoInstance {
  instanceId: string;
  name: string;
  instanceType: string;
  /** Whether its CPU goes above 90 % for a few minutes every quarter of an hour. */
  runsHot: boolean;
}

export const DEMO_FLEET_SIZE = 4;

const INSTANCE_TYPES = ['t3.large', 'c5.xlarge', 'm5.large', 't3.medium'];
const HOT_INSTANCE_INDEX = 1;

/** Four minutes at 93-97 % every fifteen minutes: enough consecutive samples to fire a CPU alert. */
const HOT_CPU: Partial<MetricCurve> = {
  noise: 2,
  spike: { everyMinutes: 15, forMinutes: 4, level: 95 },
};

/**
 * The labs of each worker's controller, in turn: a busy worker (one lab running, one stopped),
 * the hot one running a big lab, an idle one without any lab, and one with a lab never started.
 */
const DEMO_LABS: ReadonlyArray<readonly AddLabRequest[]> = [
  [
    { title: 'ccna-lab-1', nodes: 8, state: 'STARTED', owner: 'student07' },
    { title: 'ospf-troubleshooting', nodes: 4, state: 'STOPPED', owner: 'student12' },
  ],
  [{ title: 'enterprise-campus', nodes: 12, state: 'STARTED', owner: 'instructor' }],
  [],
  [{ title: 'bgp-sandbox', nodes: 5, state: 'DEFINED_ON_CORE', owner: 'student03' }],
];

/**
 * Adds running workers named `cml-worker-01`, `cml-worker-02`, ... to `region`; the second one
 * runs hot periodically, so a fresh demo shows CPU alerts firing and resolving on their own.
 * Their CML controllers get labs (`DEMO_LABS`, over again from the fifth worker on).
 */
export function seedDemoFleet(
  fleet: EmulatedFleet,
  region: string,
  count = DEMO_FLEET_SIZE,
): DemoInstance[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `cml-worker-${String(index + 1).padStart(2, '0')}`;
    const instanceType = INSTANCE_TYPES[index % INSTANCE_TYPES.length] ?? 't3.medium';
    const runsHot = index === HOT_INSTANCE_INDEX;
    const [instance] = fleet.addInstances({
      region,
      name,
      instanceType,
      state: 'running',
      cpuCurve: runsHot ? HOT_CPU : undefined,
    });
    const instanceId = instance?.instanceId ?? '';
    const controller = fleet.cml(instanceId);
    for (const lab of DEMO_LABS[index % DEMO_LABS.length] ?? []) {
      controller.addLab(lab);
    }
    return { instanceId, name, instanceType, runsHot };
  });
}
