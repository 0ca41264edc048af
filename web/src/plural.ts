/** "1 lab", "2 labs". Apart from format.ts, whose clock would keep a unit test's process alive. */
export const plural = (count: number, noun: string): string =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;
