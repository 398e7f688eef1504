// Waiting for something to happen (a row, an email, an empty folder), checked again and again
// until it does. The limit is a bound for a failure message, far beyond what any run needs: a
// test passes the moment the thing happens, whatever the machine's speed.
const DEFAULT_WITHIN_MS = 30_000;
const RECHECK_MS = 25;

/** Resolves with the first value of `check` that is not undefined; throws `what` after `withinMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, withinMs = DEFAULT_WITHIN_MS): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting ${withinMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
  }
}
