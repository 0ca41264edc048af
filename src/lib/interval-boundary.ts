/** The first interval boundary after `time`: poll jobs of a fleet are due together there. */
export function nextBoundary(time: Date, intervalMs: number): Date {
  return new Date((Math.floor(time.getTime() / intervalMs) + 1) * intervalMs);
}
