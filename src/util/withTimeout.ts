/**
 * `promise`, or a rejection with `error()` once `ms` milliseconds passed without it settling. The timer never keeps the
 * process alive. The promise itself runs on: a caller that gives up on it should still handle its rejection.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
