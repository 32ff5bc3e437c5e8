/**
 * `npm run bench`: CPU cost of the telemetry per command, measured on the real pipeline.
 *
 * The parent runs the sandbox Discord and an OTLP receiver (so their CPU is not counted); each round starts the real
 * bot as a child, drives N `/ping` interactions through discord.js, and reads the child's CPU time for exactly that
 * window. Rounds alternate telemetry on and `OTEL_SDK_DISABLED=true` so drift in machine load hits both alike.
 * A third kind of child measures the raw SDK floor: one span + one counter add + one histogram record + one log
 * record per iteration with the same processors and exporters.
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
const FloorIterations = 20_000;
const child = fileURLToPath(new URL('./benchBot.js', import.meta.url));
const preload = fileURLToPath(new URL('../src/telemetry/preload.js', import.meta.url));

function start(mode: 'bot' | 'floor', env: Record<string, string>): Promise<ChildProcess> {
  const proc = fork(child, [mode], {
    // BENCH_PROFILE=dir writes a V8 CPU profile of each child there, to find where the time goes.
    execArgv: ['--import', preload],
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
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== reply) return;
      proc.off('message', onMessage);
      resolve(m);
    };
    proc.on('message', onMessage);
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
  stop(): Promise<{ spans: { total: number } }>;
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
      return JSON.parse(out) as { spans: { total: number } };
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
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
    METRONOME_TELEMETRY_METRIC_EXPORT_INTERVAL_MS: '1000',
    METRONOME_TELEMETRY_METRIC_EXPORT_TIMEOUT_MS: '1000',
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

  const perCommand: Record<'on' | 'off', number[]> = { on: [], off: [] };
  process.stdout.write(`Driving ${Commands} /ping per round, ${Rounds} rounds per mode, alternating...\n`);
  for (let round = 0; round < Rounds; round++) {
    for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const proc = await start('bot', { ...baseEnv, ...(mode === 'off' ? { OTEL_SDK_DISABLED: 'true' } : {}) });
      await drive(Warmup);
      await request(proc, { type: 'begin' }, 'begun');
      await drive(Commands);
      const { micros, mainThreadMicros } = await request<{ micros: number; mainThreadMicros: number }>(
        proc,
        { type: 'end' },
        'cpu',
      );
      await stop(proc);
      perCommand[mode].push(micros / Commands);
      process.stdout.write(
        `  round ${round + 1} telemetry ${mode.padEnd(3)}: ${(micros / Commands).toFixed(1)} µs CPU/command (main thread ${(mainThreadMicros / Commands).toFixed(1)})\n`,
      );
    }
  }

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

  const on = median(perCommand.on);
  const off = median(perCommand.off);
  const overhead = on - off;
  const floor = median(floors);
  const rows = [
    ['bot CPU per /ping, telemetry on (median)', `${on.toFixed(1)} µs`],
    ['bot CPU per /ping, OTEL_SDK_DISABLED=true (median)', `${off.toFixed(1)} µs`],
    ['telemetry overhead per command (on - off)', `${overhead.toFixed(1)} µs`],
    ['raw SDK floor (span + counter + histogram + log)', `${floor.toFixed(1)} µs`],
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
    ['spread of the on-off difference (min..max over rounds)', spread(perCommand)],
  ];
  process.stdout.write('\n');
  for (const [label, value] of rows)
    process.stdout.write(`${String(label).padEnd(54)} ${String(value).padStart(10)}\n`);
  process.stdout.write(
    `\nTargets: overhead <= 15 µs/command: ${overhead <= 15 ? 'met' : 'NOT met'}; overhead <= 1.5× floor: ${overhead <= 1.5 * floor ? 'met' : 'NOT met'}\n`,
  );
  const summary = await receiver.stop();
  process.stdout.write(`Spans received by the OTLP receiver during the bench: ${summary.spans.total}\n`);
  await discord.close();
}

await main();
