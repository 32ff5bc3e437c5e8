import { z } from 'zod';
import { parseKeyValueList } from './parseKeyValueList.js';
import { Secret } from './Secret.js';

/** The pino levels, from most to least verbose; `silent` turns a logger off. */
export const LogLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** One of {@link LogLevels}. */
export type LogLevel = (typeof LogLevels)[number];

/**
 * The keys that hold secrets, and the environment variable each is read from. Each variable also has a
 * `<NAME>_FILE` variant naming a file that holds the value (Docker and Kubernetes secrets).
 * These keys are refused in YAML files so that a secret never lands in a repository or an image.
 */
export const SecretVariables = {
  'discord.token': 'DISCORD_TOKEN',
  'telemetry.headers': 'OTEL_EXPORTER_OTLP_HEADERS',
  'database.url': 'DATABASE_URL',
  'lavalink.password': 'LAVALINK_PASSWORD',
} as const;
/** A key of {@link SecretVariables}. */
export type SecretKey = keyof typeof SecretVariables;

/**
 * Resource attributes that have their own key; accepting them in `telemetry.resource_attributes` too would give one
 * setting two places to live.
 */
const DedicatedResourceAttributes: Readonly<Record<string, string>> = {
  'service.name': 'telemetry.service_name',
  'service.namespace': 'telemetry.service_namespace',
  'deployment.environment.name': 'telemetry.environment',
};

// A missing section takes its defaults; so does one whose keys are all commented out, which YAML parses as null.
const section = <Schema extends z.ZodType>(schema: Schema) => z.preprocess((value) => value ?? {}, schema);

// Cross-key rules only make sense between values that are valid on their own; otherwise a bad value would be
// reported twice (once as itself, once as a conflict).
const whenKeysValid = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };

const positiveInt = (fallback: number) => z.int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.int().nonnegative().default(fallback);
const flag = (fallback: boolean) => z.boolean().default(fallback);
const text = (fallback: string) => z.string().min(1).default(fallback);

const httpUrl = z.string().refine((value) => hasProtocol(value, ['http:', 'https:']), {
  error: 'expected an http:// or https:// URL',
});

// Snowflakes exceed a double's precision, so an unquoted id in YAML arrives as a bigint (see parseYaml) and is
// turned back into its exact digits here.
const snowflake = z.preprocess(
  (value) => (typeof value === 'bigint' || typeof value === 'number' ? String(value) : value),
  z.string().regex(/^\d{17,20}$/, { error: 'expected a Discord id (17 to 20 digits)' }),
);

const secret = (isValid: (value: string) => boolean, problem: string) =>
  z
    .instanceof(Secret, { error: 'expected a Secret' })
    .refine((value) => isValid(value.reveal()), { error: problem })
    .optional();

const discordSchema = z
  .strictObject({
    token: secret((value) => /^\S+$/.test(value), 'expected a bot token without whitespace'),
    application_id: snowflake.nullable().default(null),
    api_url: httpUrl.nullable().default(null),
    shards: z
      .union([z.literal('auto'), z.array(z.int().nonnegative()).min(1)], {
        error: 'expected auto or a list of shard ids (whole numbers from 0), like [0, 1]',
      })
      .default('auto'),
    shard_count: z
      .union([z.literal('auto'), z.int().positive()], { error: 'expected auto or a whole number above 0' })
      .default('auto'),
    dev_guild_id: snowflake.nullable().default(null),
    rest_timeout_ms: positiveInt(15000),
  })
  .superRefine((discord, ctx) => {
    const { shards, shard_count: count } = discord;
    if (shards === 'auto') return;
    if (count === 'auto') {
      ctx.addIssue({
        code: 'custom',
        path: ['shards'],
        message: 'a list of shard ids needs discord.shard_count set to the total number of shards',
      });
    } else if (shards.some((id) => id >= count)) {
      ctx.addIssue({
        code: 'custom',
        path: ['shards'],
        message: `every shard id must be below discord.shard_count (${count})`,
      });
    }
    if (new Set(shards).size !== shards.length) {
      ctx.addIssue({ code: 'custom', path: ['shards'], message: 'a shard id is listed twice' });
    }
  }, whenKeysValid);

const batchSchema = (defaults: { queue: number; batch: number; delay: number; timeout: number }) =>
  section(
    z
      .strictObject({
        max_queue_size: positiveInt(defaults.queue),
        max_export_batch_size: positiveInt(defaults.batch),
        schedule_delay_ms: nonNegativeInt(defaults.delay),
        export_timeout_ms: positiveInt(defaults.timeout),
      })
      .superRefine((batch, ctx) => {
        if (batch.max_export_batch_size > batch.max_queue_size) {
          ctx.addIssue({
            code: 'custom',
            path: ['max_export_batch_size'],
            message: `must not exceed max_queue_size (${batch.max_queue_size})`,
          });
        }
      }, whenKeysValid),
  );

// Resource attribute values are strings; YAML would otherwise make `version: 2` a number.
const attributeValue = z.preprocess(
  (value) => (['number', 'bigint', 'boolean'].includes(typeof value) ? String(value) : value),
  z.string(),
);

const telemetrySchema = z
  .strictObject({
    enabled: flag(true),
    service_name: text('metronome'),
    service_namespace: text('metronome'),
    environment: text('development'),
    resource_attributes: z
      .record(z.string().min(1), attributeValue)
      .superRefine((attributes, ctx) => {
        for (const [name, key] of Object.entries(DedicatedResourceAttributes)) {
          if (Object.hasOwn(attributes, name)) {
            ctx.addIssue({ code: 'custom', path: [name], message: `set ${key} instead` });
          }
        }
      }, whenKeysValid)
      .default({}),
    metrics_endpoint: httpUrl.default('http://localhost:4317'),
    logs_endpoint: httpUrl.default('http://localhost:4317'),
    traces_endpoint: httpUrl.default('http://localhost:4318/v1/traces'),
    headers: secret(isKeyValueList, 'expected comma-separated key=value pairs'),
    metric_export_interval_ms: positiveInt(15000),
    metric_export_timeout_ms: positiveInt(10000),
    span_batch: batchSchema({ queue: 2048, batch: 512, delay: 5000, timeout: 30000 }),
    log_batch: batchSchema({ queue: 2048, batch: 512, delay: 1000, timeout: 30000 }),
    host_metrics: flag(true),
    runtime_metrics: flag(true),
    failure_log_interval_ms: positiveInt(60000),
  })
  .superRefine((telemetry, ctx) => {
    // The SDK's PeriodicExportingMetricReader throws at start-up on this; say it here, with the key.
    if (telemetry.metric_export_timeout_ms > telemetry.metric_export_interval_ms) {
      ctx.addIssue({
        code: 'custom',
        path: ['metric_export_timeout_ms'],
        message: `must not exceed telemetry.metric_export_interval_ms (${telemetry.metric_export_interval_ms})`,
      });
    }
  }, whenKeysValid);

const loggingSchema = z.strictObject({
  level: z.enum(LogLevels).default('info'),
  levels: z.record(z.string().min(1), z.enum(LogLevels)).default({}),
  otlp_only: flag(false),
  pretty: flag(false),
  file: section(
    z.strictObject({
      path: z.string().min(1).nullable().default(null),
      max_size: z
        .string()
        .regex(/^[1-9]\d*[kmg]$/, { error: 'expected a size like 10m: a whole number followed by k, m or g' })
        .default('10m'),
      max_files: positiveInt(5),
    }),
  ),
});

const healthSchema = z
  .strictObject({
    host: text('0.0.0.0'),
    port: z.int().min(0).max(65535).default(8080),
    event_loop_stall_ms: positiveInt(2000),
    heartbeat_interval_ms: positiveInt(5000),
    heartbeat_stale_ms: positiveInt(30000),
  })
  .superRefine((health, ctx) => {
    if (health.heartbeat_stale_ms <= health.heartbeat_interval_ms) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeat_stale_ms'],
        message: `must exceed health.heartbeat_interval_ms (${health.heartbeat_interval_ms})`,
      });
    }
  }, whenKeysValid);

const lavalinkNode = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { error: 'expected a short lowercase name like eu-1' }),
  url: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: 'expected host:port, like lavalink:2333' }),
  secure: z.boolean().default(false),
  region: z.string().min(1).nullable().default(null),
});

const lavalinkSchema = z
  .strictObject({
    // No nodes: music commands answer that music is not set up; the rest of the bot runs.
    nodes: z.array(lavalinkNode).default([]),
    password: secret((value) => value.length > 0, 'expected a password'),
    resume_timeout_s: positiveInt(60),
    reconnect_tries: positiveInt(5),
    reconnect_interval_ms: positiveInt(5000),
    search_prefix: z.enum(['ytsearch', 'ytmsearch', 'scsearch']).default('ytsearch'),
  })
  .superRefine((lavalink, ctx) => {
    const names = new Set<string>();
    lavalink.nodes.forEach((node, index) => {
      if (names.has(node.name))
        ctx.addIssue({ code: 'custom', path: ['nodes', index, 'name'], message: 'is listed twice' });
      names.add(node.name);
    });
  });

const musicSchema = z.strictObject({
  max_queue_length: nonNegativeInt(500),
  max_track_length_ms: nonNegativeInt(10_800_000),
  max_playlist_size: nonNegativeInt(250),
  max_member_share_percent: z.int().min(0).max(100).default(100),
  max_query_length: positiveInt(500),
  idle_timeout_ms: positiveInt(300_000),
  alone_timeout_ms: positiveInt(60_000),
  default_volume: z.int().min(0).max(200).default(100),
  query_allowlist: z.array(z.string().min(1)).default([]),
});

/**
 * The whole configuration. Objects are strict, so a misspelt key is an error rather than a silently ignored setting.
 * Every key has a default here and the same default, with its documentation, in `config/default.yaml` (a test keeps
 * the two equal).
 */
export const configSchema = z.strictObject({
  discord: section(discordSchema),
  telemetry: section(telemetrySchema),
  logging: section(loggingSchema),
  health: section(healthSchema),
  shutdown: section(z.strictObject({ grace_ms: nonNegativeInt(10000) })),
  database: section(
    z.strictObject({
      url: secret((value) => hasProtocol(value, ['postgres:', 'postgresql:']), 'expected a postgres:// URL'),
      data_dir: text('./data/pglite'),
      pool_size: positiveInt(10),
      statement_timeout_ms: nonNegativeInt(10_000),
      connection_timeout_ms: positiveInt(5_000),
      migrate_on_start: flag(true),
      history_buffer_size: positiveInt(10_000),
      snapshot_delay_ms: positiveInt(1_000),
      active_users_interval_ms: positiveInt(300_000),
    }),
  ),
  commands: section(z.strictObject({ throttle_per_minute: positiveInt(20) })),
  lavalink: section(lavalinkSchema),
  music: section(musicSchema),
});

/** Readonly all the way down; {@link Secret}s stay as they are. */
export type DeepReadonly<T> = T extends Secret
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** Every key optional, all the way down; lists are replaced whole, never merged. */
export type DeepPartial<T> = T extends Secret
  ? T
  : T extends readonly unknown[]
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** The configuration as the loader returns it: validated, defaults applied, deep-frozen. */
export type Config = DeepReadonly<z.output<typeof configSchema>>;

/** Values applied over every other source; see `LoadConfigOptions.overrides`. */
export type ConfigOverrides = DeepPartial<z.output<typeof configSchema>>;

function hasProtocol(value: string, protocols: readonly string[]): boolean {
  const url = URL.parse(value);
  return url !== null && protocols.includes(url.protocol);
}

function isKeyValueList(value: string): boolean {
  try {
    parseKeyValueList(value);
    return true;
  } catch {
    return false;
  }
}
