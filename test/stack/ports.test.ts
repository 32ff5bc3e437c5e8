import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentSettings, loadCollectorConfig, resolveEnvDefaults } from '../support/stack/collectorConfig.js';
import {
  composeService,
  composeServices,
  loadCompose,
  publishedPorts,
  reachablePorts,
  serviceEnvironment,
} from '../support/stack/compose.js';
import {
  appliedManifests,
  containerPorts,
  envValue,
  findManifest,
  onlyContainer,
  resolvePort,
} from '../support/stack/kubernetes.js';
import { readText, readYaml } from '../support/stack/readYaml.js';
import { asList, asMap, asNumber, asString, dig } from '../support/stack/shape.js';

/** host and port of `scheme://host:port/path` or of a bare `host:port`. */
function hostPort(endpoint: string): { host: string; port: number; path: string } {
  const url = new URL(endpoint.includes('://') ? endpoint : `tcp://${endpoint}`);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host: url.hostname, port, path: url.pathname };
}

/** The port of a `0.0.0.0:4317`-style listen address. */
function listenPort(address: string): number {
  const port = Number(address.split(':').at(-1));
  assert.ok(Number.isInteger(port), `${address} has a port`);
  return port;
}

describe('ports and addresses across the stack', () => {
  const collector = loadCollectorConfig();
  const compose = loadCompose();
  const services = composeServices(compose);
  const defaults = asMap(readYaml('config/default.yaml'), 'config/default.yaml');
  const manifests = appliedManifests();
  const loki = asMap(readYaml('config/loki/loki.yaml'), 'loki.yaml');
  const tempo = asMap(readYaml('config/tempo/tempo.yaml'), 'tempo.yaml');
  const lavalink = asMap(readYaml('config/lavalink/application.yml'), 'application.yml');
  const prometheusConfig = asMap(readYaml('config/prometheus/prometheus.yml'), 'prometheus.yml');

  const otlp = componentSettings(collector, 'receivers', 'otlp');
  const grpcPort = listenPort(asString(dig(otlp, 'protocols.grpc.endpoint'), 'grpc.endpoint'));
  const httpPort = listenPort(asString(dig(otlp, 'protocols.http.endpoint'), 'http.endpoint'));
  const healthCheckPort = listenPort(
    asString(componentSettings(collector, 'extensions', 'health_check').endpoint, 'health_check.endpoint'),
  );
  const collectorMetricsPort = asNumber(
    dig(asList(dig(collector, 'service.telemetry.metrics.readers'), 'readers')[0], 'pull.exporter.prometheus.port'),
    'telemetry port',
  );

  /**
   * What each backend listens on inside its container: read from its own config where it has one, otherwise the
   * image's documented default (Prometheus 9090, Alertmanager 9093, Grafana 3000, PostgreSQL 5432).
   */
  const listening: Record<string, readonly number[]> = {
    'otel-collector': [grpcPort, httpPort, healthCheckPort, collectorMetricsPort],
    prometheus: [9090],
    alertmanager: [9093],
    grafana: [3000],
    postgres: [5432],
    loki: [asNumber(dig(loki, 'server.http_listen_port'), 'loki port')],
    tempo: [
      asNumber(dig(tempo, 'server.http_listen_port'), 'tempo port'),
      listenPort(asString(dig(tempo, 'distributor.receivers.otlp.protocols.grpc.endpoint'), 'tempo otlp')),
    ],
    lavalink: [asNumber(dig(lavalink, 'server.port'), 'lavalink port')],
  };

  /** Asserts that `endpoint` names a compose service that listens on, and lets others reach, that port. */
  function assertReachableInCompose(endpoint: string, what: string): void {
    const { host, port } = hostPort(endpoint);
    assert.ok(host in services, `${what}: ${host} is a compose service`);
    assert.ok(listening[host]?.includes(port), `${what}: ${host} listens on ${port}`);
    assert.ok(reachablePorts(asMap(services[host], host), host).has(port), `${what}: ${host} exposes ${port}`);
  }

  describe('the bot and the collector', () => {
    it('agree on the defaults: metrics and logs to the gRPC receiver, traces to the HTTP receiver at /v1/traces', () => {
      for (const key of ['metrics_endpoint', 'logs_endpoint']) {
        const endpoint = hostPort(asString(dig(defaults, `telemetry.${key}`), key));
        assert.equal(endpoint.host, 'localhost');
        assert.equal(endpoint.port, grpcPort, `telemetry.${key} uses the gRPC receiver's port`);
      }
      const traces = hostPort(asString(dig(defaults, 'telemetry.traces_endpoint'), 'traces_endpoint'));
      assert.equal(traces.port, httpPort);
      assert.equal(traces.path, '/v1/traces');
    });

    it('publish the receivers on the host under the same ports, so a bot started with its defaults reports into compose', () => {
      const published = publishedPorts(composeService('otel-collector', compose));
      for (const port of [grpcPort, httpPort]) {
        assert.ok(
          published.some((m) => m.hostPort === port && m.containerPort === port),
          `${port} -> ${port}`,
        );
      }
    });

    it('agree in docker compose: the bot sends to the collector service on the receiver ports', () => {
      const env = serviceEnvironment(composeService('bot', compose));
      const metrics = hostPort(env.get('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ?? '');
      const logs = hostPort(env.get('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT') ?? '');
      const traces = hostPort(env.get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? '');
      for (const [endpoint, port] of [
        [metrics, grpcPort],
        [logs, grpcPort],
        [traces, httpPort],
      ] as const) {
        assert.equal(endpoint.host, 'otel-collector');
        assert.equal(endpoint.port, port);
      }
      assert.equal(traces.path, '/v1/traces');
    });

    it('agree in Kubernetes: the bot sends to the collector Service, whose ports lead to the receivers', () => {
      const botContainer = onlyContainer(findManifest(manifests, 'StatefulSet', 'metronome'));
      const service = findManifest(manifests, 'Service', 'otel-collector');
      const collectorContainer = onlyContainer(findManifest(manifests, 'Deployment', 'otel-collector'));
      const servicePorts = asList(dig(service.body, 'spec.ports'), 'ports').map((p) => asMap(p, 'port'));
      const toContainer = (port: number) => {
        const entry = servicePorts.find((p) => p.port === port);
        assert.ok(entry, `the Service has port ${port}`);
        return resolvePort(collectorContainer, entry.targetPort);
      };
      for (const [variable, port] of [
        ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', grpcPort],
        ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', grpcPort],
        ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', httpPort],
      ] as const) {
        const endpoint = hostPort(envValue(botContainer, variable));
        assert.equal(endpoint.host, service.name, `${variable} names the Service`);
        assert.equal(toContainer(endpoint.port), port, `${variable} reaches the receiver`);
      }
      assert.equal(
        toContainer(collectorMetricsPort),
        collectorMetricsPort,
        'the Service exposes the collector metrics',
      );
      assert.equal(containerPorts(collectorContainer).get('health'), healthCheckPort);
    });
  });

  describe('the health server', () => {
    it('listens on the same port in the defaults, compose, the image health check and Kubernetes', () => {
      const port = asNumber(dig(defaults, 'health.port'), 'health.port');
      assert.equal(serviceEnvironment(composeService('bot', compose)).get('METRONOME_HEALTH_PORT'), String(port));
      assert.ok(publishedPorts(composeService('bot', compose)).some((m) => m.containerPort === port));
      assert.match(readText('Dockerfile'), new RegExp(`METRONOME_HEALTH_PORT \\|\\| ${port}\\)`));
      assert.match(readText('Dockerfile'), new RegExp(`^EXPOSE ${port}$`, 'm'));
      const botContainer = onlyContainer(findManifest(manifests, 'StatefulSet', 'metronome'));
      assert.equal(containerPorts(botContainer).get('health'), port);
    });
  });

  describe('the collector and its backends', () => {
    it('export to services that listen where the exporters point', () => {
      const prometheus = resolveEnvDefaults(
        asString(componentSettings(collector, 'exporters', 'otlp_http/prometheus').endpoint, 'prometheus endpoint'),
      );
      assertReachableInCompose(prometheus, 'otlp_http/prometheus');
      assert.equal(hostPort(prometheus).path, '/api/v1/otlp');
      const lokiEndpoint = resolveEnvDefaults(
        asString(componentSettings(collector, 'exporters', 'otlp_http/loki').endpoint, 'loki endpoint'),
      );
      assertReachableInCompose(lokiEndpoint, 'otlp_http/loki');
      assert.equal(hostPort(lokiEndpoint).path, '/otlp');
      const tempoEndpoint = resolveEnvDefaults(
        asString(componentSettings(collector, 'exporters', 'otlp_grpc/tempo').endpoint, 'tempo endpoint'),
      );
      assertReachableInCompose(tempoEndpoint, 'otlp_grpc/tempo');
    });

    it('in Kubernetes, override every backend endpoint through the variables the exporters read', () => {
      const collectorContainer = onlyContainer(findManifest(manifests, 'Deployment', 'otel-collector'));
      const variables = readText('otel-collector/exporters.yaml').matchAll(/\$\{env:([A-Z_]+):-/g);
      for (const [, variable = ''] of variables) {
        assert.ok(envValue(collectorContainer, variable) !== '', `${variable} is set for the cluster`);
      }
    });

    it('let Tempo remote-write the service graph into Prometheus', () => {
      const [writer] = asList(dig(tempo, 'metrics_generator.storage.remote_write'), 'remote_write');
      const url = asString(dig(writer, 'url'), 'remote_write.url');
      assertReachableInCompose(url, 'tempo remote_write');
      assert.equal(hostPort(url).path, '/api/v1/write');
    });

    it('are scraped by Prometheus where they serve their own metrics: the collector and Lavalink', () => {
      const targets = asList(prometheusConfig.scrape_configs, 'scrape_configs').map((job) => {
        const config = asMap(job, 'scrape_config');
        const statics = asList(config.static_configs ?? [], 'static_configs').flatMap((s) =>
          asList(dig(s, 'targets'), 'targets').map((t) => asString(t, 'target')),
        );
        return { path: String(config.metrics_path ?? '/metrics'), targets: statics };
      });
      const scraped = (target: string, path: string) =>
        targets.some((j) => j.targets.includes(target) && j.path === path);
      assert.ok(scraped(`otel-collector:${collectorMetricsPort}`, '/metrics'), 'the collector is scraped');
      const lavalinkPath = asString(dig(lavalink, 'metrics.prometheus.endpoint'), 'lavalink metrics endpoint');
      assert.ok(scraped(`lavalink:${listening.lavalink?.[0]}`, lavalinkPath), 'Lavalink is scraped');
      for (const { targets: list } of targets) {
        for (const target of list.filter((t) => !t.startsWith('localhost:'))) {
          assertReachableInCompose(target, `scrape target ${target}`);
        }
      }
    });

    it('send alerts to the Alertmanager compose runs', () => {
      const managers = asList(dig(prometheusConfig, 'alerting.alertmanagers'), 'alertmanagers').flatMap((m) =>
        asList(dig(m, 'static_configs'), 'static_configs').flatMap((s) => asList(dig(s, 'targets'), 'targets')),
      );
      for (const target of managers) assertReachableInCompose(asString(target, 'target'), 'alertmanager target');
    });
  });

  describe('Grafana', () => {
    it('reaches every datasource at a compose service and the port it listens on', () => {
      const provisioning = readYaml('config/grafana/provisioning/datasources/datasources.yaml');
      for (const datasource of asList(dig(provisioning, 'datasources'), 'datasources').map((d) => asMap(d, 'ds'))) {
        assertReachableInCompose(asString(datasource.url, 'url'), `datasource ${String(datasource.uid)}`);
      }
    });
  });

  describe('Lavalink', () => {
    it('is configured for the bot at the port it listens on, in compose and in Kubernetes', () => {
      const port = listening.lavalink?.[0];
      const nodes = (value: string) => [...value.matchAll(/url: "([^"]+)"/g)].map((m) => hostPort(m[1] ?? ''));
      const composeNodes = nodes(
        serviceEnvironment(composeService('bot', compose)).get('METRONOME_LAVALINK_NODES') ?? '',
      );
      assert.ok(composeNodes.length > 0);
      for (const node of composeNodes) assertReachableInCompose(`${node.host}:${node.port}`, 'lavalink node');
      const botContainer = onlyContainer(findManifest(manifests, 'StatefulSet', 'metronome'));
      const k8sNodes = nodes(envValue(botContainer, 'METRONOME_LAVALINK_NODES'));
      assert.ok(k8sNodes.length > 0);
      for (const node of k8sNodes) assert.equal(node.port, port);
    });
  });
});
