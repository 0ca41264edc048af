/** The controller of instance `i-…` answers under `/cml/i-…`, on the emulator's own port. */
export const CML_PATH_PREFIX = '/cml/';

/** Where CML 2.x serves its REST API, under the controller's address. */
export const CML_API_BASE = '/api/v0';

/**
 * The base URL of an instance's emulated controller, e.g. `http://127.0.0.1:4566/cml/i-0abc…`;
 * a client appends `/api/v0/...` as it would to `https://<controller>`.
 */
export function cmlEndpointFor(emulatorEndpoint: string, instanceId: string): string {
  return `${emulatorEndpoint}${CML_PATH_PREFIX}${instanceId}`;
}
