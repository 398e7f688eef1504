// A clock a test can move on, so timeouts and expiry are tested without waiting.
export interface TestClock {
  now: () => Date;
  advance(minutes: number): void;
}

export function testClock(start = new Date('2026-11-23T15:00:00Z')): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(minutes) {
      current += minutes * 60_000;
    },
  };
}
