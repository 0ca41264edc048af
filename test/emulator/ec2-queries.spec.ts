import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  paginateDescribeInstances,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import {
  ec2Client,
  http,
  ManualClock,
  OTHER_REGION,
  rejectionOf,
  startTestEmulator,
  TEST_REGION,
} from './emulator.factory';

const UNKNOWN_ID = 'i-0123456789abcdef0';

describe('EC2 queries', () => {
  let emulator: RunningEmulator;
  let ec2: EC2Client;

  beforeEach(async () => {
    emulator = await startTestEmulator({ clock: new ManualClock().now });
    ec2 = ec2Client(emulator);
  });

  afterEach(async () => {
    ec2.destroy();
    await emulator.close();
  });

  const idsOf = (
    count: number,
    request: Parameters<RunningEmulator['fleet']['addInstances']>[0] = {},
  ) =>
    emulator.fleet
      .addInstances({ region: TEST_REGION, count, ...request })
      .map((instance) => instance.instanceId);

  it('should reject an unknown instance id with the typed InvalidInstanceID.NotFound error', async () => {
    const [known = ''] = idsOf(1);

    const error = await rejectionOf(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [known, UNKNOWN_ID] })),
    );

    expect(error.name).toBe('InvalidInstanceID.NotFound');
    expect(error.message).toBe(`The instance ID '${UNKNOWN_ID}' does not exist`);
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    const status = await rejectionOf(
      ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [UNKNOWN_ID] })),
    );
    expect(status.name).toBe('InvalidInstanceID.NotFound');
  });

  it.each(['i-123', 'i-0123456789ABCDEF0', 'instance-1', 'i-0123456789abcdef'])(
    'should reject the malformed id %s with InvalidInstanceID.Malformed',
    async (malformed) => {
      const error = await rejectionOf(
        ec2.send(new StopInstancesCommand({ InstanceIds: [malformed] })),
      );
      expect(error.name).toBe('InvalidInstanceID.Malformed');
      expect(error.message).toContain(malformed);
    },
  );

  it('should accept the short 8-digit instance id form', async () => {
    const error = await rejectionOf(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123abcd'] })),
    );
    expect(error.name).toBe('InvalidInstanceID.NotFound');
  });

  it('should answer DescribeInstanceStatus for 100 ids and refuse 101', async () => {
    const ids = idsOf(101);

    const hundred = await ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: ids.slice(0, 100) }),
    );
    expect(hundred.InstanceStatuses).toHaveLength(100);
    expect(hundred.InstanceStatuses?.map((status) => status.InstanceId)).toEqual(ids.slice(0, 100));

    const error = await rejectionOf(
      ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids })),
    );
    expect(error.name).toBe('InvalidRequest');
    expect(error.message).toContain('101 exceeds the maximum number of instance IDs');
  });

  it('should list only running instances unless IncludeAllInstances is set', async () => {
    const [running = ''] = idsOf(1);
    const [stopped = ''] = idsOf(1, { state: 'stopped' });

    const runningOnly = await ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: [running, stopped] }),
    );
    const all = await ec2.send(
      new DescribeInstanceStatusCommand({
        InstanceIds: [running, stopped],
        IncludeAllInstances: true,
      }),
    );

    expect(runningOnly.InstanceStatuses?.map((status) => status.InstanceId)).toEqual([running]);
    expect(
      all.InstanceStatuses?.map((status) => [status.InstanceId, status.InstanceState?.Name]),
    ).toEqual([
      [running, 'running'],
      [stopped, 'stopped'],
    ]);
    expect(all.InstanceStatuses?.[1]?.SystemStatus?.Status).toBe('not-applicable');
  });

  it('should filter on instance-state-name and tag:Name, with wildcards', async () => {
    const [build1 = ''] = idsOf(1, { name: 'build-1' });
    idsOf(1, { name: 'build-2', state: 'stopped' });
    const [build3 = ''] = idsOf(1, { name: 'build-3' });
    idsOf(1, { name: 'web-1' });

    const output = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'instance-state-name', Values: ['running', 'pending'] },
          { Name: 'tag:Name', Values: ['build-*'] },
        ],
      }),
    );

    const found = output.Reservations?.flatMap((reservation) => reservation.Instances ?? []);
    expect(found?.map((instance) => instance.InstanceId)).toEqual([build1, build3]);
  });

  it('should carry tag values with XML special characters intact', async () => {
    const name = `build <main> & "nightly" 'x'`;
    const [id = ''] = idsOf(1, { name });

    const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));

    expect(output.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([{ Key: 'Name', Value: name }]);
  });

  it('should reject an unknown filter name', async () => {
    const error = await rejectionOf(
      ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('should page through DescribeInstances with MaxResults and NextToken, grouped by reservation', async () => {
    const ids = [...idsOf(7), ...idsOf(5)];

    const pages = [];
    for await (const page of paginateDescribeInstances({ client: ec2 }, { MaxResults: 5 })) {
      pages.push(page);
    }

    expect(
      pages.map((page) => page.Reservations?.flatMap((r) => r.Instances ?? []).length),
    ).toEqual([5, 5, 2]);
    expect(pages[1]?.Reservations?.map((reservation) => reservation.Instances?.length)).toEqual([
      2, 3,
    ]);
    const listed = pages.flatMap((page) =>
      (page.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId)),
    );
    expect(listed).toEqual(ids);
    expect(pages.at(-1)?.NextToken).toBeUndefined();
  });

  it('should refuse MaxResults together with instance ids, and out of range', async () => {
    const [id = ''] = idsOf(1);
    const combined = await rejectionOf(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [id], MaxResults: 5 })),
    );
    expect(combined.name).toBe('InvalidParameterCombination');
    const tooSmall = await rejectionOf(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })));
    expect(tooSmall.name).toBe('InvalidParameterValue');
  });

  it('should page DescribeInstanceStatus without ids', async () => {
    idsOf(8);
    const first = await ec2.send(new DescribeInstanceStatusCommand({ MaxResults: 5 }));
    const second = await ec2.send(
      new DescribeInstanceStatusCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(first.InstanceStatuses).toHaveLength(5);
    expect(second.InstanceStatuses).toHaveLength(3);
    expect(second.NextToken).toBeUndefined();
  });

  it('should keep each region a fleet of its own', async () => {
    const [here = ''] = idsOf(1);
    const [there = ''] = emulator.fleet
      .addInstances({ region: OTHER_REGION })
      .map((instance) => instance.instanceId);
    const elsewhere = ec2Client(emulator, { region: OTHER_REGION });
    try {
      const local = await ec2.send(new DescribeInstancesCommand({}));
      const remote = await elsewhere.send(new DescribeInstancesCommand({}));
      expect(local.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId))).toEqual([
        here,
      ]);
      expect(remote.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId))).toEqual([
        there,
      ]);

      const crossRegion = await rejectionOf(
        elsewhere.send(new DescribeInstancesCommand({ InstanceIds: [here] })),
      );
      expect(crossRegion.name).toBe('InvalidInstanceID.NotFound');
      expect(emulator.fleet.callCounts()).toEqual({
        [TEST_REGION]: { DescribeInstances: 1 },
        [OTHER_REGION]: { DescribeInstances: 2 },
      });
    } finally {
      elsewhere.destroy();
    }
  });

  it('should take the region from the host name when the request is not signed', async () => {
    const [there = ''] = emulator.fleet
      .addInstances({ region: OTHER_REGION })
      .map((instance) => instance.instanceId);

    const response = await http(emulator, '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        host: `ec2.${OTHER_REGION}.amazonaws.com`,
      },
      body: 'Action=DescribeInstances&Version=2016-11-15',
    });

    expect(response.status).toBe(200);
    expect(response.text).toContain(`<instanceId>${there}</instanceId>`);
  });

  it('should answer an unknown action with InvalidAction in EC2 error XML', async () => {
    const response = await http(emulator, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeVolumes&Version=2016-11-15',
    });

    expect(response.status).toBe(400);
    expect(response.text).toMatch(
      /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
  });

  it('should render answers in the EC2 namespace with a request id', async () => {
    const response = await http(emulator, '/?Action=DescribeInstances&Version=2016-11-15');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/xml');
    expect(response.text).toMatch(
      /<DescribeInstancesResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><reservationSet><\/reservationSet><\/DescribeInstancesResponse>$/,
    );
  });
});
