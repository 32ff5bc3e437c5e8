/**
 * Loaded with `node --import` before the application. instrumentation-pino patches ESM modules only through this
 * loader hook; instrumentation-pg and -undici need none (see docs/architecture.md). Only pino is intercepted, so
 * start-up does not pay for wrapping every module.
 */
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['pino'] } });
