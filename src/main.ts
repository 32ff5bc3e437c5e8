import { packageVersion, redactorFor, telemetryOptionsFrom } from './bootstrap.js';
import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { startTelemetry } from './telemetry/TelemetrySdk.js';

/**
 * Entry point: config, then telemetry, then (imported only now, so the instrumentations see pino, pg and undici
 * load) the app. Signals shut down gracefully and exit 0; an uncaught error is logged, flushed, and exits 1.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const version = packageVersion();
  const telemetry = startTelemetry(telemetryOptionsFrom(config, version));
  const { App } = await import('./app.js');
  const app = new App({ config, telemetry, redactor: redactorFor(config), version });

  const stop = (signal: string) => {
    void app.shutdown(signal).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const crash = (error: unknown, kind: string) => {
    app.logger.fatal({ err: error, kind }, 'crashing');
    void telemetry
      .forceFlush()
      .catch(() => undefined)
      .finally(() => process.exit(1));
  };
  process.on('uncaughtException', (error) => crash(error, 'uncaughtException'));
  process.on('unhandledRejection', (error) => crash(error, 'unhandledRejection'));

  await app.start();
}

await main();
