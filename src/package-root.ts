import { existsSync } from 'node:fs';
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
