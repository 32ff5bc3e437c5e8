import type { Config } from '../config/schema.js';
import type { ExporterState, Signal } from '../telemetry/ExportMonitor.js';
import type { MusicDemoResult } from './demoMusic.js';

/** What the scripted demo session produced. */
export interface DemoResult {
  readonly runs: { label: string; command: string; ms: number; reply: string }[];
  readonly startupMs: number;
  readonly health: { path: string; status: number; body: string }[];
  readonly exporters: Record<Signal, ExporterState>;
  readonly config: Config;
  readonly healthUrl: string;
  readonly failover?: MusicDemoResult['failover'];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The outcome the member saw, read from the reply the way a member would read it. */
function outcomeOf(reply: string): string {
  if (/reference/.test(reply)) return 'error';
  if (/too quickly/.test(reply)) return 'throttled';
  if (/do not know/.test(reply)) return 'user_error';
  return 'success';
}

/** Prints the demo's summary. `secrets` are checked to be absent from everything printed. */
export function printSummary(result: DemoResult, secrets: readonly string[]): void {
  const out: string[] = [];
  out.push('', 'Metronome demo: the real bot against the sandbox Discord', '');
  out.push(`Start-up to all shards ready: ${result.startupMs.toFixed(0)} ms`, '');
  out.push('Commands by outcome (latency as the member saw it, dispatch to reply):');
  out.push('  outcome      count    p50 ms    p95 ms');
  const byOutcome = new Map<string, number[]>();
  for (const run of result.runs) {
    const key = `${run.command === 'dance' ? 'unknown' : run.command}/${outcomeOf(run.reply)}`;
    byOutcome.set(key, [...(byOutcome.get(key) ?? []), run.ms]);
  }
  for (const [key, times] of [...byOutcome].sort()) {
    const sorted = [...times].sort((a, b) => a - b);
    out.push(
      `  ${key.padEnd(20)} ${String(times.length).padStart(3)} ${percentile(sorted, 50).toFixed(1).padStart(9)} ${percentile(sorted, 95).toFixed(1).padStart(9)}`,
    );
  }
  out.push('', 'A few replies:');
  const seen = new Set<string>();
  for (const run of result.runs) {
    const outcome = outcomeOf(run.reply);
    if (seen.has(outcome)) continue;
    seen.add(outcome);
    out.push(`  [${outcome}] /${run.command}: ${run.reply}`);
  }
  out.push('', 'Lavalink failover (the node playing for the guild was killed mid-track):');
  const f = result.failover;
  if (f) {
    out.push(
      `  ${f.from} -> ${f.to}: ${f.outcome} in ${f.tookMs.toFixed(0)} ms; "${f.track}" ${f.sameTrack ? 'kept' : 'NOT kept'}, position ${(f.positionBeforeMs / 1000).toFixed(1)} s before, ${(f.positionAfterMs / 1000).toFixed(1)} s after`,
    );
  } else {
    out.push('  no player was found to move');
  }
  out.push('', 'Telemetry (OTLP):');
  const endpoints: Record<Signal, string> = {
    traces: `${result.config.telemetry.traces_endpoint} (HTTP)`,
    metrics: `${result.config.telemetry.metrics_endpoint} (gRPC)`,
    logs: `${result.config.telemetry.logs_endpoint} (gRPC)`,
  };
  const nouns: Record<Signal, string> = { traces: 'spans', metrics: 'metric points', logs: 'log records' };
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const s = result.exporters[signal];
    const produced = s.exported + s.dropped;
    const state =
      s.dropped > 0 && s.exported === 0 ? 'collector unreachable, counted as dropped' : s.ok ? 'ok' : s.lastError;
    out.push(
      `  ${nouns[signal].padEnd(14)} ${String(produced).padStart(5)} produced, ${String(s.exported).padStart(5)} exported to ${endpoints[signal]}: ${state}`,
    );
  }
  if (Object.values(result.exporters).every((s) => s.exported === 0)) {
    out.push(
      '  (nothing is listening: start a collector, or `node dist/test/support/otlp/receiverCli.js`, to see the data)',
    );
  }
  out.push('', `Health server (${result.healthUrl}):`);
  for (const h of result.health) {
    const body = h.path === '/healthz' ? compactHealthz(h.body) : h.body.trim().split('\n').join(' | ');
    out.push(`  GET ${h.path.padEnd(16)} ${h.status}  ${body}`);
  }
  const text = out.join('\n');
  if (secrets.some((secret) => text.includes(secret))) throw new Error('the demo summary would print a secret');
  process.stdout.write(`${text}\n`);
}

function compactHealthz(body: string): string {
  try {
    const json = JSON.parse(body) as { status?: string; shards?: { id: number; status: string }[]; uptime_s?: number };
    return `status=${json.status} shards=${(json.shards ?? []).map((s) => `${s.id}:${s.status}`).join(',')} uptime_s=${json.uptime_s}`;
  } catch {
    return body.slice(0, 120);
  }
}
