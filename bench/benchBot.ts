/**
 * The bench's child process: the real bot (as `npm start` builds it) plus an IPC channel for the parent to bracket
 * the measured window, or, in `floor` mode, the bare SDK doing one span + one counter add + one histogram record +
 * one log record per iteration. Config comes from the environment the parent sets.
 */
import { configChecks, packageVersion, redactorFor, telemetryOptionsFrom } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/loadConfig.js';
import { startTelemetry } from '../src/telemetry/TelemetrySdk.js';

type Message =
  | { type: 'flush' }
  | { type: 'begin' }
  | { type: 'end'; flush: boolean }
  | { type: 'floor'; iterations: number }
  | { type: 'exit' };

const send = (message: unknown) => process.send?.(message);
const config = loadConfig({ checks: configChecks });
const version = packageVersion();
const telemetry = startTelemetry(telemetryOptionsFrom(config, version));
const mode = process.argv[2] ?? 'bot';

let began: NodeJS.CpuUsage | undefined;
let beganThread: NodeJS.CpuUsage | undefined;
let beganAt = 0;
let windows = 0;
let profilerReady = false;
const cpuMicros = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return d.user + d.system;
};

if (mode === 'floor') {
  const { createLogging } = await import('../src/telemetry/logging/createLogger.js');
  const { Redactor } = await import('../src/telemetry/Redactor.js');
  const { tracer } = await import('../src/telemetry/spans.js');
  const logger = createLogging({ level: 'info', levels: {}, otlpOnly: true }, new Redactor([])).child('bench');
  const { commandDuration, restRequests } = telemetry.instruments;
  // Attributes shaped like the command span's, so the floor is not flattered by an empty span.
  const spanAttributes = {
    'discord.command.name': 'ping',
    'discord.interaction.id': '1573902474962665500',
    'discord.user.id': '1573902473964421129',
    'discord.channel.id': '1573902473964421121',
    'discord.guild.id': '1573902473964421120',
    'discord.shard.id': 0,
  };
  const ops: Record<string, () => void> = {
    span: () => tracer().startSpan('command ping', { attributes: spanAttributes }).end(),
    counter: () =>
      restRequests.add(1, { route: '/interactions/:id/:token/callback', method: 'POST', status_code: '204' }),
    histogram: () => commandDuration.record(0.01, { command: 'ping', outcome: 'success' }),
    log: () => logger.info({ command: 'ping', outcome: 'success' }, 'command handled'),
  };
  const all = () => {
    for (const op of Object.values(ops)) op();
  };
  // The floor includes shipping what was made: the bot's overhead includes its exports, so the floor must too.
  // Spans and log records are flushed in batches of the configured export batch size, as the batch processors send
  // them; metrics once at the end, since their export is periodic, not per record.
  const batchSize = config.telemetry.span_batch.max_export_batch_size;
  const measure = async (fn: () => void, n: number) => {
    for (let i = 0; i < 500; i++) fn(); // warm-up
    await telemetry.forceFlush();
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      fn();
      if ((i + 1) % batchSize === 0) await telemetry.forceFlush({ metrics: false });
    }
    await telemetry.forceFlush();
    return cpuMicros(start) / n;
  };
  process.on('message', async (message: Message) => {
    if (message.type === 'floor') {
      const perOp: Record<string, number> = {};
      for (const [name, fn] of Object.entries(ops)) perOp[name] = await measure(fn, message.iterations);
      const floor = await measure(all, message.iterations);
      send({ type: 'floor', floor, perOp });
    } else if (message.type === 'exit') {
      await telemetry.shutdown();
      process.exit(0);
    }
  });
  send({ type: 'ready' });
} else {
  const { App } = await import('../src/app.js');
  const app = new App({ config, telemetry, redactor: redactorFor(config), version });
  await app.start();
  // BENCH_PROFILE=dir: a V8 CPU profile of exactly the measured window, to see where the time goes.
  const profileDir = process.env.BENCH_PROFILE;
  const { Session } = await import('node:inspector/promises');
  const session = profileDir ? new Session() : undefined;
  process.on('message', async (message: Message) => {
    if (message.type === 'flush') {
      await telemetry.forceFlush();
      send({ type: 'flushed' });
    } else if (message.type === 'begin') {
      if (session) {
        if (!profilerReady) {
          session.connect();
          await session.post('Profiler.enable');
          profilerReady = true;
        }
        // 100 µs rather than the default 1 ms: a command costs a few ms, and its parts are tens of µs.
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
      }
      beganAt = performance.now();
      began = process.cpuUsage();
      beganThread = process.threadCpuUsage();
      send({ type: 'begun' });
    } else if (message.type === 'end' && began) {
      // Spans and log records of the window still in the batch processors are part of its cost.
      if (message.flush) await telemetry.forceFlush({ metrics: false });
      const micros = cpuMicros(began);
      const thread = process.threadCpuUsage(beganThread);
      const elapsedMs = performance.now() - beganAt;
      if (session && profileDir) {
        const { profile } = await session.post('Profiler.stop');
        const { writeFileSync } = await import('node:fs');
        writeFileSync(
          `${profileDir}/window-${process.pid}-${windows++}-${process.env.BENCH_ARM ?? 'on'}.cpuprofile`,
          JSON.stringify(profile),
        );
      }
      send({ type: 'cpu', micros, mainThreadMicros: thread.user + thread.system, elapsedMs });
    } else if (message.type === 'exit') {
      await app.shutdown('bench');
      process.exit(0);
    }
  });
  send({ type: 'ready' });
}
