/**
 * Calls the emulator's control API (`/_emulator/…`, see src/emulator/control.router.ts) and
 * fails the test with the emulator's answer when it refuses.
 */
export async function emulatorControl(
  endpoint: string,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<void> {
  const response = await fetch(`${endpoint}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(
      `emulator control ${method} ${path} answered ${response.status}: ${await response.text()}`,
    );
  }
}
