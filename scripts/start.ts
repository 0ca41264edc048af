import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';

/**
 * `npm start` once the build is done: runs the service (`src/main`, beside this file in the build
 * or in the sources) as its child, hands it every SIGINT, SIGTERM and SIGHUP it gets, and exits
 * with the service's code.
 *
 * npm forwards SIGINT and SIGTERM to its script's process only; the shell of
 * `npm run build && node ...` neither handles nor forwards them, so a supervisor's SIGTERM to npm
 * used to leave the service running. npm runs this in place of that shell (`exec`). The node
 * options this runs under (ts-node's, from the tests) are the service's too.
 */
function start(): void {
  const entry = path.join(__dirname, '..', 'src', `main${path.extname(__filename)}`);
  const service = spawn(process.execPath, [...process.execArgv, entry], {
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => service.kill(signal);
  // A Ctrl-C reaches the service from the terminal as well: it acts on the first and ignores
  // the repeats.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, forward);
  }
  service.once('error', (error) => {
    process.stderr.write(`cml-worker-monitor could not be started: ${error.message}\n`);
    process.exit(1);
  });
  service.once('exit', (code, signal) => {
    process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
  });
}

start();
