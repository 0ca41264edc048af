import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findPackageRoot } from '../../src/package-root';

export interface DockerInstruction {
  /** Upper case: `RUN`, `COPY`, … */
  keyword: string;
  /** The rest, continuation lines joined. */
  args: string;
  /** The WORKDIR in force where it runs. */
  workdir: string;
}

export interface DockerStage {
  /** The image of its `FROM`. */
  image: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

/** The repository's Dockerfile as stages of instructions (the part of the syntax it uses). */
export function readDockerfile(
  file = path.join(findPackageRoot(__dirname), 'Dockerfile'),
): DockerStage[] {
  const logicalLines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const stages: DockerStage[] = [];
  for (const line of logicalLines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', , name] = args.split(/\s+/);
      stages.push({ image, name, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      throw new Error(`${file}: ${keyword} before the first FROM`);
    }
    const workdir = stage.instructions.at(-1)?.workdir ?? '/';
    stage.instructions.push({
      keyword: keyword.toUpperCase(),
      args,
      workdir: keyword.toUpperCase() === 'WORKDIR' ? path.posix.resolve(workdir, args) : workdir,
    });
  }
  return stages;
}

/**
 * The RUN that installs the image's node_modules: the one `npm ci` that leaves devDependencies
 * out. Its stage, and the WORKDIR it runs in, say where the final stage copies them from.
 */
export function productionInstall(stages = readDockerfile()): {
  stage: DockerStage;
  run: DockerInstruction;
} {
  const found = stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev\b/.test(i.args))
      .map((run) => ({ stage, run })),
  );
  if (found.length !== 1) {
    throw new Error(`expected one RUN npm ci --omit=dev in the Dockerfile, found ${found.length}`);
  }
  return found[0];
}
