/**
 * `npm run bench`: CPU cost of the telemetry per command, measured on the real pipeline.
 *
 * The parent runs the sandbox Discord and an OTLP receiver (in a process of its own, so neither's CPU is counted);
 * each round starts the real bot as a child, drives a warm-up, flushes its telemetry, and then measures two windows
 * of the child's CPU time: an idle one (what time passing costs: metric collection and export, heartbeats) and a busy
 * one of N `/ping` interactions through discord.js, ending with the export of what the commands left in the batch
 * processors. The per-command cost is the busy window minus the idle rate over its length. Rounds alternate telemetry
 * on and `OTEL_SDK_DISABLED=true` so drift in machine load hits both alike.
 * A third kind of child measures the raw SDK floor: one span + one counter add + one histogram record + one log
 * record per iteration, with the same processors and exporters, exported (spans and logs in batches of the configured
 * size) within the measured window, as the bot's are.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { commands } from '../src/discord/commands/index.js';
import { registerCommands } from '../src/discord/registerCommands.js';
import { SandboxDiscord } from '../src/sandbox/discord/SandboxDiscord.js';

const Token = 'MTA1.bench-sandbox-token.not-a-real-secret';
const Commands = Number(process.env.BENCH_COMMANDS ?? 600);
const Rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const Warmup = 50;
const IdleMs = Number(process.env.BENCH_IDLE_MS ?? 4_000);
const FloorIterations = 20_000;
// The arm the bot is compared with: telemetry off, or BENCH_BASELINE_ENV='{"KEY":"value"}' for telemetry on with those
// settings, to price one component (its log line, say) between processes that differ in nothing else.
const BaselineEnv = JSON.parse(process.env.BENCH_BASELINE_ENV ?? '{"OTEL_SDK_DISABLED":"true"}') as Record<
  string,
  string
>;
const BaselineLabel = process.env.BENCH_BASELINE_ENV
  ? `baseline ${process.env.BENCH_BASELINE_ENV}`
  : 'OTEL_SDK_DISABLED=true';
const child = fileURLToPath(new URL('./benchBot.js', import.meta.url));
const preload = fileURLToPath(new URL('../src/telemetry/preload.js', import.meta.url));

function start(mode: 'bot' | 'floor', env: Record<string, string>): Promise<ChildProcess> {
  const proc = fork(child, [mode], {
    // BENCH_PROFILE=dir writes a V8 CPU profile of each child there, to find where the time goes.
    // BENCH_NODE_ARGS='--flag ...' adds Node/V8 flags to every child, to measure what a runtime setting changes.
    execArgv: ['--import', preload, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.BENCH_PROFILE ? { BENCH_PROFILE: process.env.BENCH_PROFILE } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc.once('message', () => resolve(proc));
    proc.once('exit', (code) => reject(new Error(`bench child exited with ${code}`)));
  });
}

function request<T>(proc: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench child exited with ${code} before '${reply}'`));
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== reply) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(m);
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
    proc.send(message);
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.send({ type: 'exit' });
  await exited;
}

function spread(perCommand: Record<'on' | 'off', number[]>): string {
  const diffs = perCommand.on.map((on, i) => on - (perCommand.off[i] ?? on));
  return `${Math.min(...diffs).toFixed(0)}..${Math.max(...diffs).toFixed(0)} µs`;
}

interface ReceiverProcess {
  grpcEndpoint: string;
  tracesUrl: string;
  stop(): Promise<{ spans: { total: number; names: string[]; traces: number } }>;
}

/** The test receiver's CLI as a child process on ephemeral ports. */
async function startReceiverProcess(): Promise<ReceiverProcess> {
  const cli = fileURLToPath(new URL('../test/support/otlp/receiverCli.js', import.meta.url));
  const proc = spawn(process.execPath, [cli, '--grpc', '0', '--http', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const listening = await new Promise<{ grpc: string; traces: string }>((resolve, reject) => {
    proc.stderr.once('data', (chunk: Buffer) => {
      try {
        resolve(
          (JSON.parse(String(chunk).split('\n')[0] ?? '') as { listening: { grpc: string; traces: string } }).listening,
        );
      } catch (error) {
        reject(error);
      }
    });
  });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += String(chunk);
  });
  return {
    grpcEndpoint: listening.grpc,
    tracesUrl: listening.traces,
    stop: async () => {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
      return JSON.parse(out) as { spans: { total: number; names: string[]; traces: number } };
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const discord = await SandboxDiscord.start({ token: Token, heartbeatIntervalMs: 5_000 });
  // The receiver runs in a process of its own: decoding OTLP in this process would slow the sandbox Discord while
  // telemetry is on, and the bot's CPU per command with it (fewer events per loop turn, more syscalls).
  const receiver = await startReceiverProcess();
  await registerCommands(commands, { token: Token, applicationId: discord.applicationId, apiUrl: discord.restUrl });
  const guild = discord.guilds[0];
  if (!guild) throw new Error('no guild');
  const baseEnv = {
    DISCORD_TOKEN: Token,
    METRONOME_DISCORD_API_URL: discord.restUrl,
    METRONOME_HEALTH_HOST: '127.0.0.1',
    METRONOME_HEALTH_PORT: '0',
    // Local log lines cost the same with telemetry on or off; keep them out of the comparison.
    METRONOME_LOGGING_OTLP_ONLY: 'true',
    METRONOME_COMMANDS_THROTTLE_PER_MINUTE: '1000000',
    // A PostgreSQL server if the caller has one; otherwise the bot embeds PGlite, whose WebAssembly V8 keeps
    // compiling on its background threads for the first seconds, in both modes alike, widening the spread.
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
    // BENCH_ENV='{"KEY":"value"}' adds settings to both modes, to measure what a component costs.
    ...(JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>),
  };
  const members = guild.memberIds;
  const drive = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const userId = members[i % members.length] ?? '';
      await discord
        .runCommand({ guildId: guild.id, channelId: guild.textChannelId, userId, command: 'ping' })
        .waitFor((m) => /Pong/.test(m.content ?? ''), { timeoutMs: 10_000 });
    }
  };

  type Window = { micros: number; mainThreadMicros: number; elapsedMs: number };
  const measureWindow = async (proc: ChildProcess, work: () => Promise<void>, flush: boolean): Promise<Window> => {
    await request(proc, { type: 'begin' }, 'begun');
    await work();
    return request<Window>(proc, { type: 'end', flush }, 'cpu');
  };
  const totals: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const windows: Record<'on' | 'off', { idle: Window; busy: Window }[]> = { on: [], off: [] };
  process.stdout.write(
    `Driving ${Commands} /ping per round after ${IdleMs / 1000} s idle, ${Rounds} rounds per mode, alternating...\n`,
  );
  for (let round = 0; round < Rounds; round++) {
    for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const proc = await start('bot', { ...baseEnv, ...(mode === 'off' ? BaselineEnv : {}), BENCH_ARM: mode });
      await drive(Warmup);
      // The warm-up's spans and logs are exported now, not in the idle window.
      await request(proc, { type: 'flush' }, 'flushed');
      // What the process costs with nothing to do (metric collection and export, heartbeats), per ms.
      const idle = await measureWindow(proc, () => new Promise((resolve) => setTimeout(resolve, IdleMs)), false);
      // Ends with exporting what the commands left in the batch processors: that is their cost too.
      const busy = await measureWindow(proc, () => drive(Commands), true);
      await stop(proc);
      windows[mode].push({ idle, busy });
      totals[mode].push(busy.micros / Commands);
      process.stdout.write(
        `  round ${round + 1} telemetry ${mode.padEnd(3)}: ${(busy.micros / Commands).toFixed(1)} µs CPU/command (main thread ${(busy.mainThreadMicros / Commands).toFixed(1)}), idle ${(idle.micros / idle.elapsedMs).toFixed(1)} µs CPU/ms (main thread ${(idle.mainThreadMicros / idle.elapsedMs).toFixed(1)})\n`,
      );
    }
  }
  // The cost of time passing (per ms) is the same while busy: what remains of a busy window is the commands' own.
  // `main` counts the main thread alone; the rest of the process is mostly V8's garbage-collection helpers.
  type Part = 'micros' | 'mainThreadMicros';
  const idleRate = (mode: 'on' | 'off', part: Part = 'micros') => {
    const all = windows[mode];
    return all.reduce((sum, w) => sum + w.idle[part], 0) / all.reduce((sum, w) => sum + w.idle.elapsedMs, 0);
  };
  const marginal = (mode: 'on' | 'off', part: Part = 'micros') =>
    windows[mode].map(({ busy }) => (busy[part] - idleRate(mode, part) * busy.elapsedMs) / Commands);

  const floors: number[] = [];
  const perOp: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    const proc = await start('floor', baseEnv);
    const result = await request<{ floor: number; perOp: Record<string, number> }>(
      proc,
      { type: 'floor', iterations: FloorIterations },
      'floor',
    );
    await stop(proc);
    floors.push(result.floor);
    for (const [op, micros] of Object.entries(result.perOp)) perOp[op] = [...(perOp[op] ?? []), micros];
  }
  const op = (name: string) => median(perOp[name] ?? []);
  // What one /ping must emit by the contract and the issue: the command span and one client span per REST call
  // (deferReply + editReply), and the metric records and log line the pipeline and REST wrapper write.
  const required = { span: 3, counter: 3, histogram: 5, log: 1 };
  const requiredFloor =
    required.span * op('span') +
    required.counter * op('counter') +
    required.histogram * op('histogram') +
    required.log * op('log');

  const on = median(marginal('on'));
  const off = median(marginal('off'));
  const overhead = on - off;
  const mainOverhead = median(marginal('on', 'mainThreadMicros')) - median(marginal('off', 'mainThreadMicros'));
  const totalOverhead = median(totals.on) - median(totals.off);
  const msPerCommand = median(windows.on.map(({ busy }) => busy.elapsedMs / Commands));
  const floor = median(floors);
  const rows = [
    ['idle bot CPU per second, telemetry on', `${(idleRate('on') * 1000).toFixed(0)} µs`],
    [`idle bot CPU per second, ${BaselineLabel}`, `${(idleRate('off') * 1000).toFixed(0)} µs`],
    ['bot CPU per /ping, telemetry on (all of it, median)', `${median(totals.on).toFixed(1)} µs`],
    [`bot CPU per /ping, ${BaselineLabel} (all of it)`, `${median(totals.off).toFixed(1)} µs`],
    [`  difference, idle cost included (${msPerCommand.toFixed(1)} ms per /ping)`, `${totalOverhead.toFixed(1)} µs`],
    ['bot CPU per /ping beyond idle, telemetry on (median)', `${on.toFixed(1)} µs`],
    [`bot CPU per /ping beyond idle, ${BaselineLabel}`, `${off.toFixed(1)} µs`],
    ['telemetry overhead per command (on - off, beyond idle)', `${overhead.toFixed(1)} µs`],
    ['  of which on the main thread', `${mainOverhead.toFixed(1)} µs`],
    ['  of which on other threads (garbage collection)', `${(overhead - mainOverhead).toFixed(1)} µs`],
    ['raw SDK floor (span + counter + histogram + log, exported)', `${floor.toFixed(1)} µs`],
    ['overhead / floor', `${(overhead / floor).toFixed(2)}×`],
    [
      `  per operation: span ${op('span').toFixed(1)}, counter ${op('counter').toFixed(2)}, histogram ${op('histogram').toFixed(2)}, log ${op('log').toFixed(1)}`,
      'µs',
    ],
    [
      `floor of what /ping must emit (${required.span} spans, ${required.counter} counters, ${required.histogram} histograms, ${required.log} log)`,
      `${requiredFloor.toFixed(1)} µs`,
    ],
    ['overhead / required floor', `${(overhead / requiredFloor).toFixed(2)}×`],
    ['overhead beyond the required floor', `${(overhead - requiredFloor).toFixed(1)} µs`],
    ['spread of the on-off difference (min..max over rounds)', spread({ on: marginal('on'), off: marginal('off') })],
  ];
  process.stdout.write('\n');
  for (const [label, value] of rows)
    process.stdout.write(`${String(label).padEnd(54)} ${String(value).padStart(10)}\n`);
  process.stdout.write(
    `\nTargets: overhead <= 15 µs/command: ${overhead <= 15 ? 'met' : 'NOT met'}; overhead <= 1.5× floor: ${overhead <= 1.5 * floor ? 'met' : 'NOT met'}\n`,
  );
  const summary = await receiver.stop();
  process.stdout.write(
    `Spans received by the OTLP receiver during the bench: ${summary.spans.total} in ${summary.spans.traces} traces (${summary.spans.names.join(', ')})\n`,
  );
  await discord.close();
}

await main();
