import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { collectorConfigFiles } from '../support/stack/collectorConfig.js';
import {
  bindMounts,
  ComposeFile,
  composeService,
  composeServices,
  composeVariables,
  dependsOn,
  EnvExampleFile,
  loadCompose,
  publishedPorts,
  readEnvFile,
  serviceCommand,
  serviceEnvironment,
} from '../support/stack/compose.js';
import { parseYamlText, readText, readYaml, repoFileExists } from '../support/stack/readYaml.js';
import { repoRoot } from '../support/stack/repoRoot.js';
import { asList, asMap, asString, asStringList, dig, isMap, type YamlMap } from '../support/stack/shape.js';
import { findExecutable, runTool } from '../support/stack/tools.js';

/**
 * Services whose image cannot run a health check: the collector image holds nothing but its binary, and the Loki
 * (3.6 and later) and Tempo 3 images are distroless without busybox, so no wget or shell.
 */
const NoHealthcheckPossible = new Set(['otel-collector', 'loki', 'tempo']);
/** Services whose health check lives in their image (Dockerfile HEALTHCHECK) rather than in the compose file. */
const HealthcheckInImage = new Set(['bot']);

/** The image each service must run: pinned, and at the versions DESIGN.md asks for. */
const ExpectedImages: Record<string, RegExp> = {
  'otel-collector': /^otel\/opentelemetry-collector-contrib:0\.159\.0$/,
  prometheus: /^prom\/prometheus:v3\.14\.0$/,
  loki: /^grafana\/loki:3\.7\.\d+$/,
  tempo: /^grafana\/tempo:3\.0\.\d+$/,
  grafana: /^grafana\/grafana:13\.2\.0$/,
  alertmanager: /^prom\/alertmanager:v\d+\.\d+\.\d+$/,
  postgres: /^postgres:\d+\.\d+(-[a-z0-9.]+)?$/,
};

/** The `.env` an operator would write: .env.example with every required (secret) value filled with a dummy. */
function throwawayEnv(omit: readonly string[] = []): string {
  const required = new Set(
    composeVariables()
      .filter((v) => v.required)
      .map((v) => v.name),
  );
  const lines: string[] = [];
  for (const [name, value] of readEnvFile()) {
    if (omit.includes(name)) continue;
    const filled = value === '' && required.has(name) ? `testonly${name.toLowerCase().replace(/_/g, '')}` : value;
    lines.push(`${name}=${filled}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfileInstructions(): Array<{ instruction: string; args: string }> {
  const joined = readText('Dockerfile')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      return { instruction: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

/** Every value under a key named `key`, anywhere in a parsed YAML tree. */
function valuesOfKey(tree: unknown, key: string): unknown[] {
  if (Array.isArray(tree)) return tree.flatMap((item) => valuesOfKey(item, key));
  if (!isMap(tree)) return [];
  return Object.entries(tree).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOfKey(v, key)]);
}

describe('the docker compose stack', () => {
  const compose = loadCompose();
  const services = composeServices(compose);

  describe('docker-compose config', () => {
    const dockerCompose = findExecutable('docker-compose');
    const workDir = mkdtempSync(join(tmpdir(), 'metronome-compose-'));
    after(() => rmSync(workDir, { recursive: true, force: true }));

    const runConfig = (envText: string) => {
      const envFile = join(workDir, `env-${Math.random().toString(36).slice(2)}`);
      writeFileSync(envFile, envText);
      assert.ok(dockerCompose, 'docker-compose is not installed (.ci/run installs it from Debian)');
      return runTool(
        dockerCompose,
        ['--project-directory', repoRoot(), '--env-file', envFile, '-f', ComposeFile, 'config'],
        {
          cwd: repoRoot(),
        },
      );
    };

    it('accepts the file with a .env made from .env.example', () => {
      const run = runConfig(throwawayEnv());
      assert.equal(run.status, 0, `docker-compose config failed:\n${run.stderr}`);
      const resolved = asMap(parseYamlText(run.stdout, 'docker-compose config'), 'resolved');
      const grafanaEnv = serviceEnvironment(asMap(dig(resolved, 'services.grafana'), 'grafana'));
      assert.equal(grafanaEnv.get('GF_SECURITY_ADMIN_PASSWORD'), 'testonlygrafanaadminpassword');
      const botEnv = serviceEnvironment(asMap(dig(resolved, 'services.bot'), 'bot'));
      assert.equal(botEnv.get('DATABASE_URL'), 'postgres://metronome:testonlypostgrespassword@postgres:5432/metronome');
    });

    for (const secret of [
      'GRAFANA_ADMIN_PASSWORD',
      'DISCORD_TOKEN',
      'POSTGRES_PASSWORD',
      'LAVALINK_PASSWORD',
      'USER_ID_HASH_SALT',
    ]) {
      it(`refuses to start without ${secret}, naming it`, () => {
        const run = runConfig(throwawayEnv([secret]));
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, new RegExp(secret));
      });
    }
  });

  describe('variables', () => {
    const variables = composeVariables();
    const documented = readEnvFile();

    it('documents every variable the compose file uses in .env.example, and nothing else', () => {
      const used = variables.map((v) => v.name).sort();
      assert.deepEqual([...documented.keys()].sort(), used);
    });

    it('leaves every secret empty in .env.example and requires it in the compose file', () => {
      const secrets = [
        'DISCORD_TOKEN',
        'POSTGRES_PASSWORD',
        'LAVALINK_PASSWORD',
        'GRAFANA_ADMIN_PASSWORD',
        'USER_ID_HASH_SALT',
      ];
      for (const name of secrets) {
        assert.equal(documented.get(name), '', `${name} has no value in ${EnvExampleFile}`);
        const variable = variables.find((v) => v.name === name);
        assert.ok(
          variable?.required && !variable.hasDefault,
          `${name} is required (\${${name}:?...}), with no default`,
        );
      }
      for (const [name, value] of documented) {
        if (/(TOKEN|PASSWORD|SALT|SECRET)/.test(name)) assert.equal(value, '', `${name} holds no value`);
      }
    });

    it('gives Grafana its admin password from the environment only', () => {
      const env = serviceEnvironment(composeService('grafana', compose));
      assert.match(env.get('GF_SECURITY_ADMIN_PASSWORD') ?? '', /^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/);
    });
  });

  describe('services', () => {
    it('run the bot with Lavalink, PostgreSQL and the whole observability stack', () => {
      assert.deepEqual(Object.keys(services).sort(), [
        'alertmanager',
        'bot',
        'grafana',
        'lavalink',
        'loki',
        'otel-collector',
        'postgres',
        'prometheus',
        'tempo',
      ]);
    });

    it('pin every image to an exact version, at the versions the design asks for', () => {
      for (const [name, value] of Object.entries(services)) {
        const service = asMap(value, name);
        if (service.build !== undefined) continue;
        const image = asString(service.image, `${name}.image`);
        assert.match(image, /:[^:]*\d[^:]*$/, `${name}: ${image} has a version tag`);
        assert.doesNotMatch(image, /:latest$/, `${name}: ${image} is not latest`);
        const expected = ExpectedImages[name];
        if (expected !== undefined) assert.match(image, expected, `${name}: ${image}`);
      }
    });

    it('run Lavalink 4.2 or newer, the first release with end-to-end-encrypted voice', () => {
      const image = asString(composeService('lavalink', compose).image, 'lavalink.image');
      const match = /^ghcr\.io\/lavalink-devs\/lavalink:(\d+)\.(\d+)\.(\d+)$/.exec(image);
      assert.ok(match, image);
      const [major, minor] = [Number(match[1]), Number(match[2])];
      assert.ok(major > 4 || (major === 4 && minor >= 2), `${image} is at least 4.2`);
    });

    it('give every service a health check, except where the image cannot run one', () => {
      for (const [name, value] of Object.entries(services)) {
        if (NoHealthcheckPossible.has(name) || HealthcheckInImage.has(name)) continue;
        const healthcheck = asMap(asMap(value, name).healthcheck, `${name}.healthcheck`);
        assert.ok(asStringList(healthcheck.test, `${name}.healthcheck.test`).length > 1, `${name} has a test`);
      }
    });

    it('wait for dependencies with conditions, and only for health that can be reported', () => {
      for (const [name, value] of Object.entries(services)) {
        for (const [dependency, condition] of dependsOn(asMap(value, name), name)) {
          assert.ok(dependency in services, `${name} depends on ${dependency}, a service`);
          assert.ok(
            ['service_started', 'service_healthy'].includes(condition),
            `${name} -> ${dependency}: ${condition}`,
          );
          if (condition === 'service_healthy') {
            assert.ok(
              !NoHealthcheckPossible.has(dependency),
              `${name} waits for ${dependency} to start, not be healthy`,
            );
            const target = asMap(services[dependency], dependency);
            assert.ok(
              target.healthcheck !== undefined || HealthcheckInImage.has(dependency),
              `${dependency} reports health`,
            );
          }
        }
      }
      assert.equal(dependsOn(composeService('bot', compose)).get('postgres'), 'service_healthy');
      assert.equal(dependsOn(composeService('bot', compose)).get('lavalink'), 'service_healthy');
    });

    it('keep metrics at least as long as the longest range the rules query (the 30-day SLO window)', () => {
      const days = (text: string) => {
        const match = /^(\d+)d$/.exec(text);
        assert.ok(match, `${text} is a number of days`);
        return Number(match[1]);
      };
      const ruleFiles = ['metronome-alerts.yml', 'metronome-recording.yml', 'metronome-slo.yml'];
      const longest = Math.max(
        ...ruleFiles.flatMap((file) =>
          [...readText(`config/prometheus/rules/${file}`).matchAll(/\[(\d+)d\]/g)].map((m) => Number(m[1])),
        ),
      );
      assert.ok(longest >= 30, `the SLO rules query ${longest}d`);
      const command = asStringList(composeService('prometheus', compose).command, 'prometheus.command');
      const flag = command.find((c) => c.startsWith('--storage.tsdb.retention.time='));
      const fallback = /:-([^}]+)\}$/.exec(flag ?? '')?.[1] ?? assert.fail(`no retention default in ${flag}`);
      assert.ok(days(fallback) > longest, `compose default ${fallback} covers ${longest}d`);
      const example = /^PROMETHEUS_RETENTION=(.+)$/m.exec(readText('.env.example'))?.[1] ?? assert.fail('no example');
      assert.ok(days(example) > longest, `.env.example ${example} covers ${longest}d`);
    });

    it('publish host ports on the loopback interface only', () => {
      for (const [name, value] of Object.entries(services)) {
        for (const mapping of publishedPorts(asMap(value, name), name)) {
          assert.equal(mapping.hostIp, '127.0.0.1', `${name} publishes ${mapping.containerPort} on 127.0.0.1`);
        }
      }
    });

    it('mount only files and folders that exist in the repository', () => {
      for (const [name, value] of Object.entries(services)) {
        for (const mount of bindMounts(asMap(value, name), name)) {
          assert.ok(repoFileExists(mount.source), `${name}: ${mount.source} exists`);
        }
      }
      for (const file of ['config/prometheus/prometheus.yml', 'config/alertmanager/alertmanager.yml']) {
        assert.ok(repoFileExists(file), `${file} exists (named in a command line)`);
      }
    });

    it('start Prometheus with the OTLP receiver, exemplar storage and the remote-write receiver Tempo needs', () => {
      const command = serviceCommand(composeService('prometheus', compose));
      for (const flag of [
        '--web.enable-otlp-receiver',
        '--enable-feature=exemplar-storage',
        '--web.enable-remote-write-receiver',
      ]) {
        assert.ok(command.includes(flag), `prometheus runs with ${flag}`);
      }
      assert.ok(command.includes('--config.file=/etc/prometheus/prometheus.yml'));
    });

    it('load every collector config file, in the same order as Kubernetes', () => {
      const command = serviceCommand(composeService('otel-collector', compose));
      assert.deepEqual(
        command,
        collectorConfigFiles().map((file) => `--config=/etc/otelcol-contrib/${file}`),
      );
      const mounts = bindMounts(composeService('otel-collector', compose));
      assert.deepEqual(mounts, [{ source: './otel-collector', target: '/etc/otelcol-contrib' }]);
    });

    it('give the collector the salt of the user-id hash', () => {
      const env = serviceEnvironment(composeService('otel-collector', compose));
      assert.match(env.get('USER_ID_HASH_SALT') ?? '', /^\$\{USER_ID_HASH_SALT:\?/);
    });

    it('harden the bot container like the Kubernetes pod: read-only root, /tmp only, no capabilities', () => {
      const bot = composeService('bot', compose);
      assert.equal(bot.read_only, true);
      assert.deepEqual(bot.tmpfs, ['/tmp']);
      assert.deepEqual(bot.cap_drop, ['ALL']);
    });
  });

  describe('the bot image', () => {
    const instructions = dockerfileInstructions();
    const froms = instructions.filter((i) => i.instruction === 'FROM');
    const runtimeStart = instructions.lastIndexOf(froms.at(-1) ?? { instruction: '', args: '' });
    const runtime = instructions.slice(runtimeStart);

    it('is built in stages on the official Node image, at the Node version the lockfile pins', () => {
      assert.ok(froms.length >= 2, 'a build stage and a runtime stage');
      for (const from of froms) assert.match(from.args, /^node:\$\{NODE_VERSION\}-slim( AS \w+)?$/);
      const arg = instructions.find((i) => i.instruction === 'ARG' && i.args.startsWith('NODE_VERSION='));
      const lock = asMap(JSON.parse(readText('package-lock.json')), 'package-lock.json');
      const lockedNode = asString(dig(lock, 'packages.node_modules/node.version'), 'the locked node version');
      assert.equal(arg?.args, `NODE_VERSION=${lockedNode}`);
      assert.match(lockedNode, /^24\./);
    });

    it('installs production dependencies only in the runtime stage and runs as a non-root user', () => {
      assert.ok(runtime.some((i) => i.instruction === 'RUN' && /npm ci --omit=dev/.test(i.args)));
      const user = runtime.filter((i) => i.instruction === 'USER').at(-1);
      assert.ok(user && !['root', '0'].includes(user.args), `runs as ${user?.args}`);
    });

    it('checks its health with Node fetch on /livez, the slim image having no curl', () => {
      const healthcheck = runtime.find((i) => i.instruction === 'HEALTHCHECK');
      assert.ok(healthcheck);
      assert.match(healthcheck.args, /CMD \["node", "-e", ".*fetch\(.*\/livez/);
      assert.match(healthcheck.args, /METRONOME_HEALTH_PORT \|\| 8080/);
    });

    it('starts the bot exactly like npm start does, telemetry preload first', () => {
      const cmd = runtime.find((i) => i.instruction === 'CMD');
      assert.ok(cmd);
      const args = asStringList(JSON.parse(cmd.args), 'CMD');
      const pkg = asMap(JSON.parse(readText('package.json')), 'package.json');
      assert.equal(args.join(' '), asString(dig(pkg, 'scripts.start'), 'scripts.start'));
    });

    it('keeps secrets, dependencies and build output out of the build context', () => {
      const ignored = readText('.dockerignore')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
      for (const entry of ['.env', 'node_modules', 'dist', '.git']) assert.ok(ignored.includes(entry), entry);
    });
  });

  describe('backend configs', () => {
    it('configure Tempo in the 3.x format: no ingester, compactor or their clients', () => {
      const tempo = asMap(readYaml('config/tempo/tempo.yaml'), 'tempo.yaml');
      for (const block of ['ingester', 'ingester_client', 'compactor', 'metrics_generator_client']) {
        assert.ok(!(block in tempo), `tempo.yaml has no ${block} block (removed in Tempo 3)`);
      }
      assert.ok(
        asStringList(dig(tempo, 'overrides.defaults.metrics_generator.processors'), 'processors').includes(
          'service-graphs',
        ),
      );
      const remoteWrite = asList(dig(tempo, 'metrics_generator.storage.remote_write'), 'remote_write');
      assert.ok(remoteWrite.length > 0, 'the service graph reaches Prometheus');
    });

    it('configure Loki for OTLP: tsdb schema v13, structured metadata, only low-cardinality index labels', () => {
      const loki = asMap(readYaml('config/loki/loki.yaml'), 'loki.yaml');
      const schemas = asList(dig(loki, 'schema_config.configs'), 'configs').map((s) => asMap(s, 'schema'));
      const latest = schemas.at(-1);
      assert.equal(latest?.store, 'tsdb');
      assert.equal(latest?.schema, 'v13');
      assert.equal(dig(loki, 'limits_config.allow_structured_metadata'), true);
      assert.equal(dig(loki, 'limits_config.otlp_config.resource_attributes.ignore_defaults'), true);
      const labels = asList(
        dig(loki, 'limits_config.otlp_config.resource_attributes.attributes_config'),
        'attributes_config',
      )
        .map((c) => asMap(c, 'attributes_config'))
        .filter((c) => c.action === 'index_label')
        .flatMap((c) => asStringList(c.attributes, 'attributes'));
      assert.deepEqual(labels.sort(), ['deployment.environment.name', 'service.name', 'service.namespace']);
      assert.equal(dig(loki, 'compactor.retention_enabled'), true);
    });

    it('configure Lavalink with the YouTube plugin, HTTP and SoundCloud sources, metrics, and the password from the environment', () => {
      const lavalink = asMap(readYaml('config/lavalink/application.yml'), 'application.yml');
      assert.match(asString(dig(lavalink, 'lavalink.server.password'), 'password'), /^\$\{LAVALINK_SERVER_PASSWORD\}$/);
      assert.ok(serviceEnvironment(composeService('lavalink', compose)).has('LAVALINK_SERVER_PASSWORD'));
      const sources = asMap(dig(lavalink, 'lavalink.server.sources'), 'sources');
      assert.equal(sources.http, true);
      assert.equal(sources.soundcloud, true);
      assert.equal(sources.youtube, false, 'the deprecated built-in YouTube source is off');
      const plugins = asList(dig(lavalink, 'lavalink.plugins'), 'plugins').map((p) =>
        asString(asMap(p, 'plugin').dependency, 'dependency'),
      );
      assert.ok(
        plugins.some((p) => /^dev\.lavalink\.youtube:youtube-plugin:\d+\.\d+\.\d+$/.test(p)),
        plugins.join(),
      );
      assert.equal(dig(lavalink, 'plugins.youtube.enabled'), true);
      assert.equal(dig(lavalink, 'metrics.prometheus.enabled'), true);
      assert.equal(dig(lavalink, 'metrics.prometheus.endpoint'), '/metrics');
    });
  });

  describe('Grafana provisioning', () => {
    const provisioning = asMap(
      readYaml('config/grafana/provisioning/datasources/datasources.yaml'),
      'datasources.yaml',
    );
    const datasources = asList(provisioning.datasources, 'datasources').map((d, i) => asMap(d, `datasources[${i}]`));
    const byUid = new Map(datasources.map((d) => [asString(d.uid, 'uid'), d] as const));
    const json = (uid: string): YamlMap => asMap(byUid.get(uid)?.jsonData, `${uid}.jsonData`);

    it('provisions exactly the datasources with the fixed uids dashboards and alerts use', () => {
      assert.deepEqual([...byUid.keys()].sort(), ['alertmanager', 'loki', 'prometheus', 'tempo']);
      const types = Object.fromEntries(datasources.map((d) => [d.uid, d.type]));
      assert.deepEqual(types, { prometheus: 'prometheus', loki: 'loki', tempo: 'tempo', alertmanager: 'alertmanager' });
    });

    it('points every correlation at a provisioned uid', () => {
      const referenced = [...valuesOfKey(datasources, 'datasourceUid'), ...valuesOfKey(datasources, 'alertmanagerUid')];
      assert.ok(referenced.length >= 6);
      for (const uid of referenced)
        assert.ok(byUid.has(asString(uid, 'datasourceUid')), `${String(uid)} is provisioned`);
    });

    it('links Prometheus exemplars to Tempo by their trace_id label', () => {
      const destinations = asList(json('prometheus').exemplarTraceIdDestinations, 'exemplarTraceIdDestinations');
      assert.deepEqual(
        destinations.map((d) => {
          const destination = asMap(d, 'destination');
          return [destination.name, destination.datasourceUid];
        }),
        [['trace_id', 'tempo']],
      );
    });

    it('links a trace to its logs in Loki by trace id, around the span time', () => {
      const logs = asMap(json('tempo').tracesToLogsV2, 'tracesToLogsV2');
      assert.equal(logs.datasourceUid, 'loki');
      assert.equal(logs.filterByTraceID, true);
      assert.ok(logs.spanStartTimeShift !== undefined && logs.spanEndTimeShift !== undefined);
      assert.match(asString(logs.query, 'query'), /\| trace_id="\$\$\{__trace\.traceId\}"/);
    });

    it('links a trace to metrics, the service map and the node graph', () => {
      const tempo = json('tempo');
      assert.equal(dig(tempo, 'tracesToMetrics.datasourceUid'), 'prometheus');
      const queries = asList(dig(tempo, 'tracesToMetrics.queries'), 'queries').map((q) =>
        asString(asMap(q, 'q').query, 'query'),
      );
      for (const query of queries) assert.match(query, /traces_span_metrics_/);
      assert.equal(dig(tempo, 'serviceMap.datasourceUid'), 'prometheus');
      assert.equal(dig(tempo, 'nodeGraph.enabled'), true);
    });

    it('turns the trace_id structured metadata of a log line into a link to Tempo', () => {
      const fields = asList(json('loki').derivedFields, 'derivedFields').map((f) => asMap(f, 'derivedField'));
      const traceField = fields.find((f) => f.matcherRegex === 'trace_id');
      assert.ok(traceField);
      assert.equal(traceField.matcherType, 'label');
      assert.equal(traceField.datasourceUid, 'tempo');
      assert.equal(traceField.url, '$${__value.raw}');
    });

    it('escapes every $ so Grafana does not expand the macros as environment variables', () => {
      const code = readText('config/grafana/provisioning/datasources/datasources.yaml')
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('#'))
        .join('\n');
      assert.doesNotMatch(code, /(?<!\$)\$(?!\$)/);
    });

    it('provisions the dashboards from the folder compose mounts', () => {
      const providers = asList(
        dig(readYaml('config/grafana/provisioning/dashboards/dashboards.yaml'), 'providers'),
        'providers',
      );
      const paths = providers.map((p) => asString(dig(p, 'options.path'), 'path'));
      const mounts = bindMounts(composeService('grafana', compose));
      assert.deepEqual(paths, ['/var/lib/grafana/dashboards']);
      assert.ok(mounts.some((m) => m.source === './config/grafana/dashboards' && m.target === paths[0]));
      assert.ok(
        mounts.some((m) => m.source === './config/grafana/provisioning' && m.target === '/etc/grafana/provisioning'),
      );
    });
  });
});
