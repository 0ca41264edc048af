import { seedDemoFleet } from '../../src/emulator/demo-fleet';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import { http, ManualClock, startTestEmulator, TEST_REGION } from './emulator.factory';

interface Tile {
  state: string;
  lab_title: string;
  owner_username: string;
  node_count: number;
  topology: { nodes: Array<{ state: string }> };
}

describe('The demo fleet’s CML controllers', () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startTestEmulator({ clock: new ManualClock().now });
  });

  afterEach(() => emulator.close());

  /** What a client polling `populate_lab_tiles` sees of a worker's labs. */
  async function labsOf(instanceId: string): Promise<string[]> {
    const base = `/cml/${instanceId}/api/v0`;
    const login = await http(emulator, `${base}/authenticate`, {
      method: 'POST',
      body: { username: 'admin', password: 'admin' },
    });
    const tiles = await http(emulator, `${base}/populate_lab_tiles`, {
      headers: { authorization: `Bearer ${login.json as string}` },
    });
    const { lab_tiles } = tiles.json as { lab_tiles: Record<string, Tile> };
    return Object.values(lab_tiles).map(
      (tile) =>
        `${tile.lab_title} ${tile.state} ${tile.node_count}×${[...new Set(tile.topology.nodes.map((node) => node.state))].join('/')} ${tile.owner_username}`,
    );
  }

  it('should give the workers labs that show every case: busy, hot, idle and never started', async () => {
    const demo = seedDemoFleet(emulator.fleet, TEST_REGION);

    const labs = await Promise.all(demo.map((instance) => labsOf(instance.instanceId)));

    expect(labs).toEqual([
      ['ccna-lab-1 STARTED 8×BOOTED student07', 'ospf-troubleshooting STOPPED 4×STOPPED student12'],
      ['enterprise-campus STARTED 12×BOOTED instructor'],
      [],
      ['bgp-sandbox DEFINED_ON_CORE 5×DEFINED_ON_CORE student03'],
    ]);
    expect(demo[1]?.runsHot).toBe(true);
  });

  it('should deal the same labs out again from the fifth worker on', () => {
    const demo = seedDemoFleet(emulator.fleet, TEST_REGION, 6);

    const titles = demo.map((instance) =>
      emulator.fleet
        .cml(instance.instanceId)
        .listLabs()
        .map((lab) => lab.title),
    );

    expect(titles.slice(4)).toEqual(titles.slice(0, 2));
  });
});
