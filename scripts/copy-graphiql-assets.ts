import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BUILT_ASSETS_DIR, GRAPHIQL_ASSETS } from '../src/http/graphiql';

/**
 * Copies GraphiQL's files into the build, which serves them: their packages are devDependencies,
 * absent where the build runs. `npm run build` runs it compiled, after tsc, so the folder is the
 * compiled graphiql's own; the packages are those of the working directory, the project's root.
 */
async function copyGraphiqlAssets(): Promise<void> {
  await mkdir(BUILT_ASSETS_DIR, { recursive: true });
  for (const [name, { packageName, file }] of Object.entries(GRAPHIQL_ASSETS)) {
    const manifest = require.resolve(`${packageName}/package.json`, { paths: [process.cwd()] });
    await copyFile(path.join(path.dirname(manifest), file), path.join(BUILT_ASSETS_DIR, name));
  }
}

void copyGraphiqlAssets();
