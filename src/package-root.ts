import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The nearest directory at or above `start` holding a package.json: the package's root, whether
 * the code runs from `src/` (tests, ts-node) or from `dist/src/` (built). Falls back to the working
 * directory when there is none, as `npm start` runs from the root.
 */
export function findPackageRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      return process.cwd();
    }
  }
}

/** The `version` of the package.json at `root`, as `cwm_build_info` reports it. */
export function packageVersion(root = findPackageRoot(__dirname)): string {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
