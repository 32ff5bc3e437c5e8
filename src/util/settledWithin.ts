/**
 * Waits for `promise` to settle, at most `ms` milliseconds: true if it did (fulfilled or rejected), false if the time
 * ran out first. Never rejects, and the timer never keeps the process alive. For the last steps of a shutdown, which
 * must not wait on a dependency that has stopped answering.
 */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
