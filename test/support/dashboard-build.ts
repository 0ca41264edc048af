import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { findPackageRoot } from '../../src/package-root';

const root = findPackageRoot(__dirname);

/** The dashboard as `npm run build` makes it, from the sources as they are, into `outDir`. */
export async function buildDashboard(outDir: string): Promise<void> {
  await promisify(execFile)(
    path.join(root, 'node_modules', '.bin', 'vite'),
    [
      'build',
      '--config',
      path.join(root, 'web', 'vite.config.mts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root },
  );
}

/** What the page's JavaScript weighs over the wire: every bundle under `assets/`, gzipped. */
export async function gzippedJavaScriptBytes(dashboardDir: string): Promise<number> {
  const assets = path.join(dashboardDir, 'assets');
  const files = (await readdir(assets)).filter((name) => name.endsWith('.js'));
  const sizes = await Promise.all(
    files.map(async (name) => gzipSync(await readFile(path.join(assets, name))).length),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}
