import { configChecks, packageVersion, redactorFor, telemetryOptionsFrom } from './bootstrap.js';
import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { startTelemetry } from './telemetry/TelemetrySdk.js';
import { settledWithin } from './util/settledWithin.js';

/** How long the telemetry flush may take after the grace period before the process exits regardless. */
const ShutdownFlushBudgetMs = 10_000;

/** How long a last flush may take on the way out of a crash, or after the shutdown deadline passed. */
const LastFlushMs = 3_000;

/**
 * Entry point: config, then telemetry, then (imported only now, so the instrumentations see pino, pg and undici
 * load) the app. Signals shut down gracefully and exit 0; an uncaught error is logged, flushed, and exits 1.
 */
async function main(): Promise<void> {
  const config = loadConfig({ checks: configChecks });
  if (!config.discord.token) {
    throw new ConfigError([
      {
        key: 'discord.token',
        source: 'DISCORD_TOKEN',
        problem: 'is required: set DISCORD_TOKEN or DISCORD_TOKEN_FILE',
      },
    ]);
  }
  const version = packageVersion();
  const telemetry = startTelemetry(telemetryOptionsFrom(config, version));
  const { App } = await import('./app.js');
  const app = new App({ config, telemetry, redactor: redactorFor(config), version });

  const stop = (signal: string) => {
    // A flush to a collector that hangs must not outlive the orchestrator's patience: after the grace period and
    // a flush budget, exit anyway (the exporters' own timeouts normally end it well before).
    setTimeout(() => {
      app.logger.warn({ signal }, 'shutdown deadline passed; exiting after one short telemetry flush');
      void settledWithin(telemetry.forceFlush(), LastFlushMs).then(() => process.exit(0));
    }, config.shutdown.grace_ms + ShutdownFlushBudgetMs).unref();
    void app.shutdown(signal).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  let crashing = false;
  const crash = (error: unknown, kind: string) => {
    app.logger.fatal({ err: error, kind }, 'crashing');
    if (crashing) return;
    crashing = true;
    // Out of rotation at once, and out of the process soon: a flush to a collector that hangs must not keep a
    // broken process serving.
    app.health.beginShutdown();
    void settledWithin(telemetry.forceFlush(), LastFlushMs).then(() => process.exit(1));
  };
  process.on('uncaughtException', (error) => crash(error, 'uncaughtException'));
  process.on('unhandledRejection', (error) => crash(error, 'unhandledRejection'));

  try {
    await app.start();
  } catch (error) {
    app.logger.fatal({ err: error }, 'start-up failed');
    await app.shutdown('start-up failed');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG: a configuration error, not a crash
  }
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
