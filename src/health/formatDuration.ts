/** Short human duration for probe reasons: `250ms`, `4.2s`, `42s`, `15m 3s`. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1_000) return `${Math.round(value)}ms`;
  if (value < 10_000) return `${Number((value / 1_000).toFixed(1))}s`;
  const seconds = Math.round(value / 1_000);
  if (seconds < 600) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}
