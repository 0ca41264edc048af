import path from 'node:path';
import { productionInstall, readDockerfile } from '../support/dockerfile';

const stages = readDockerfile();
const image = stages.at(-1);
const instructions = (keyword: string) =>
  (image?.instructions ?? []).filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  it('should build and run on a slim Node 24 image in both stages', () => {
    expect(stages.map((stage) => stage.image)).toEqual([
      expect.stringMatching(/^node:24(-bookworm)?-slim$/),
      expect.stringMatching(/^node:24(-bookworm)?-slim$/),
    ]);
  });

  it('should run the service as a user other than root', () => {
    const users = instructions('USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1)?.split(':')[0]);
  });

  it('should check the service through /readyz', () => {
    expect(instructions('HEALTHCHECK')).toEqual([
      expect.objectContaining({ args: expect.stringContaining('/readyz') }),
    ]);
  });

  it('should ship the node_modules of the install the production-tree test measures', () => {
    const { stage, run } = productionInstall(stages);
    for (const flag of ['--omit=dev', '--omit=optional', '--ignore-scripts']) {
      expect(run.args.split(/\s+/)).toContain(flag);
    }
    const copies = instructions('COPY')
      .map((i) => i.args.split(/\s+/))
      .filter((args) => args.at(-1)?.replace(/\/$/, '').endsWith('node_modules'));
    expect(copies).toEqual([
      [`--from=${stage.name}`, path.posix.join(run.workdir, 'node_modules'), './node_modules'],
    ]);
  });

  it('should hand the revision it is built from to the service', () => {
    expect(instructions('ARG').map((i) => i.args.split('=')[0])).toContain('REVISION');
    expect(instructions('ENV').map((i) => i.args)).toEqual([
      expect.stringMatching(/(^|\s)BUILD_REVISION=\$REVISION(\s|$)/),
    ]);
  });
});
