import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectorConfigFiles } from '../support/stack/collectorConfig.js';
import {
  appliedManifests,
  containerEnv,
  containerPorts,
  envValue,
  findManifest,
  httpProbe,
  KubernetesFolder,
  kustomizationResources,
  loadKustomization,
  loadManifests,
  onlyContainer,
  podSpec,
} from '../support/stack/kubernetes.js';
import {
  listFiles,
  parseYamlText,
  readText,
  readYaml,
  readYamlDocuments,
  repoFileExists,
} from '../support/stack/readYaml.js';
import { repoPath } from '../support/stack/repoRoot.js';
import {
  asList,
  asMap,
  asNumber,
  asOptionalList,
  asString,
  asStringList,
  dig,
  isMap,
  type YamlMap,
} from '../support/stack/shape.js';
import { findExecutable, runTool } from '../support/stack/tools.js';

/**
 * Measured start-up of the bot (process spawned to /livez answering), in seconds: 1.0-1.5 s over 5 runs against the
 * sandbox Discord on a loaded 2-core machine; the worst is used.
 */
const MeasuredStartupSeconds = 1.5;

/** Variables whose value is a secret: in a manifest they may only come from a Secret (a reference or a file). */
const SecretVariable = /(TOKEN|PASSWORD|SECRET|SALT|DATABASE_URL|HEADERS)$/;

function probeBudgetSeconds(probe: YamlMap): number {
  const period = asNumber(probe.periodSeconds ?? 10, 'periodSeconds');
  const failures = asNumber(probe.failureThreshold ?? 3, 'failureThreshold');
  return period * failures;
}

/** Runs the StatefulSet's entry script with `sh` for one pod, printing the shard list instead of starting Node. */
function shardsOfPod(script: string, podName: string, shardsPerPod: string, shardCount: string) {
  const probe = script.replace(/exec node .*$/m, 'printf "%s" "$METRONOME_DISCORD_SHARDS"');
  return runTool('/bin/sh', ['-c', probe], {
    env: {
      PATH: process.env.PATH ?? '',
      POD_NAME: podName,
      SHARDS_PER_POD: shardsPerPod,
      METRONOME_DISCORD_SHARD_COUNT: shardCount,
    },
  });
}

describe('the Kubernetes manifests', () => {
  const kustomization = loadKustomization();
  const resources = kustomizationResources(kustomization);
  const manifests = appliedManifests();
  const bot = findManifest(manifests, 'StatefulSet', 'metronome');
  const botContainer = onlyContainer(bot);
  const collector = findManifest(manifests, 'Deployment', 'otel-collector');
  const collectorContainer = onlyContainer(collector);
  const defaults = asMap(readYaml('config/default.yaml'), 'config/default.yaml');

  describe('kustomization', () => {
    it('lists only files and folders that exist, and every manifest of the folder but the secret example', () => {
      for (const resource of resources)
        assert.ok(repoFileExists(`${KubernetesFolder}/${resource}`), `${resource} exists`);
      const files = listFiles(KubernetesFolder).filter((file) => file !== 'kustomization.yaml');
      const listed = resources.filter((resource) => !resource.startsWith('..'));
      assert.deepEqual([...listed].sort(), files.filter((file) => file !== 'secret.example.yaml').sort());
    });

    it('never applies the secret example', () => {
      assert.ok(repoFileExists(`${KubernetesFolder}/secret.example.yaml`));
      assert.ok(!resources.includes('secret.example.yaml'));
      for (const manifest of manifests) assert.notEqual(manifest.kind, 'Secret', `${manifest.file} holds no Secret`);
    });

    it('generates the collector ConfigMap from exactly the files docker compose loads', () => {
      assert.ok(resources.includes('../../otel-collector'));
      const generator = asMap(readYaml('otel-collector/kustomization.yaml'), 'otel-collector/kustomization.yaml');
      const [configMap] = asList(generator.configMapGenerator, 'configMapGenerator').map((g) => asMap(g, 'generator'));
      assert.equal(configMap?.name, 'otel-collector-config');
      assert.deepEqual(asStringList(configMap?.files, 'files'), collectorConfigFiles());
    });

    const kubectl = findExecutable('kubectl');
    it('builds with kubectl kustomize, the Deployment mounting the generated (hashed) ConfigMap', () => {
      assert.ok(kubectl, 'kubectl is not installed (it comes with this machine image)');
      const run = runTool(kubectl, ['kustomize', repoPath(KubernetesFolder)]);
      assert.equal(run.status, 0, run.stderr);
      const built = parseAll(run.stdout);
      const configMap = built.find((o) => o.kind === 'ConfigMap');
      assert.ok(configMap, 'a ConfigMap is generated');
      const name = asString(dig(configMap, 'metadata.name'), 'name');
      assert.match(name, /^otel-collector-config-[a-z0-9]+$/);
      const data = asMap(configMap.data, 'data');
      assert.deepEqual(Object.keys(data).sort(), collectorConfigFiles());
      for (const file of collectorConfigFiles()) {
        assert.equal(data[file], readText(`otel-collector/${file}`), `${file} is copied verbatim`);
      }
      const deployment = built.find((o) => o.kind === 'Deployment');
      const volumes = asList(dig(deployment, 'spec.template.spec.volumes'), 'volumes').map((v) => asMap(v, 'volume'));
      assert.ok(volumes.some((v) => isMap(v.configMap) && v.configMap.name === name));
      for (const object of built.filter((o) => o.kind !== 'Namespace')) {
        assert.equal(dig(object, 'metadata.namespace'), 'metronome', `${String(object.kind)} is namespaced`);
      }
    });
  });

  describe('the bot StatefulSet', () => {
    const spec = asMap(bot.body.spec, 'spec');
    const script = asStringList(botContainer.args, 'args').join('\n');
    const healthPort = asNumber(dig(defaults, 'health.port'), 'health.port');

    it('probes liveness and start-up on /livez and readiness on /readyz, at the health port', () => {
      assert.equal(containerPorts(botContainer).get('health'), healthPort);
      assert.equal(envValue(botContainer, 'METRONOME_HEALTH_PORT'), String(healthPort));
      for (const [probe, path] of [
        ['startupProbe', '/livez'],
        ['livenessProbe', '/livez'],
        ['readinessProbe', '/readyz'],
      ] as const) {
        const found = httpProbe(botContainer, probe);
        assert.equal(found.path, path, `${probe} asks ${path}`);
        assert.equal(found.port, healthPort, `${probe} asks the health port`);
      }
    });

    it('gives start-up two to six times the measured start-up time before liveness takes over', () => {
      const budget = probeBudgetSeconds(httpProbe(botContainer, 'startupProbe').probe);
      assert.ok(budget >= 2 * MeasuredStartupSeconds && budget <= 6 * MeasuredStartupSeconds, `${budget}s`);
      assert.ok(
        probeBudgetSeconds(httpProbe(botContainer, 'livenessProbe').probe) >= 20,
        'one GC pause does not kill the pod',
      );
    });

    it('runs shard ranges that cover every shard exactly once across the replicas', () => {
      const replicas = asNumber(spec.replicas, 'replicas');
      const perPod = envValue(botContainer, 'SHARDS_PER_POD');
      const count = envValue(botContainer, 'METRONOME_DISCORD_SHARD_COUNT');
      assert.equal(
        replicas * Number(perPod),
        Number(count),
        'replicas * SHARDS_PER_POD == METRONOME_DISCORD_SHARD_COUNT',
      );
      const covered: number[] = [];
      for (let ordinal = 0; ordinal < replicas; ordinal++) {
        const run = shardsOfPod(script, `metronome-${ordinal}`, perPod, count);
        assert.equal(run.status, 0, run.stderr);
        const shards = asList(JSON.parse(run.stdout), 'shards').map((s) => asNumber(s, 'shard'));
        assert.equal(shards.length, Number(perPod));
        covered.push(...shards);
      }
      assert.deepEqual(covered, [...Array(Number(count)).keys()]);
    });

    it('refuses to start a pod whose shard range would pass the shard count', () => {
      const run = shardsOfPod(script, 'metronome-7', '2', '4');
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /replicas \* SHARDS_PER_POD must equal it/);
    });

    it('reads the pod name from the downward API and starts Node like the image does', () => {
      assert.deepEqual(botContainer.command, ['/bin/sh', '-c']);
      assert.equal(containerEnv(botContainer).get('POD_NAME')?.valueFrom?.fieldRef !== undefined, true);
      const pkg = asMap(JSON.parse(readText('package.json')), 'package.json');
      assert.match(
        script,
        new RegExp(
          `^exec ${asString(dig(pkg, 'scripts.start'), 'start').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
          'm',
        ),
      );
    });

    it('is addressed by a headless Service whose selector matches the pods', () => {
      const service = findManifest(manifests, 'Service', asString(spec.serviceName, 'serviceName'));
      assert.equal(dig(service.body, 'spec.clusterIP'), 'None');
      const podLabels = asMap(dig(spec, 'template.metadata.labels'), 'labels');
      const selector = asMap(dig(service.body, 'spec.selector'), 'selector');
      for (const [key, value] of Object.entries(selector)) assert.equal(podLabels[key], value, key);
      assert.deepEqual(asMap(dig(spec, 'selector.matchLabels'), 'matchLabels'), selector);
      const [port] = asList(dig(service.body, 'spec.ports'), 'ports').map((p) => asMap(p, 'port'));
      assert.equal(port?.port, healthPort);
    });

    it('has a PodDisruptionBudget over the same pods', () => {
      const pdb = manifests.find((m) => m.kind === 'PodDisruptionBudget');
      assert.ok(pdb);
      assert.deepEqual(dig(pdb.body, 'spec.selector.matchLabels'), dig(spec, 'selector.matchLabels'));
      assert.equal(dig(pdb.body, 'spec.maxUnavailable'), 1);
    });

    it('requests resources and limits memory', () => {
      assert.ok(dig(botContainer, 'resources.requests.cpu') !== undefined);
      assert.ok(dig(botContainer, 'resources.requests.memory') !== undefined);
      assert.ok(dig(botContainer, 'resources.limits.memory') !== undefined);
    });

    it('runs as non-root with a read-only root filesystem, no capabilities, and an emptyDir for /tmp', () => {
      const pod = podSpec(bot);
      assert.equal(dig(pod, 'securityContext.runAsNonRoot'), true);
      assert.equal(dig(botContainer, 'securityContext.readOnlyRootFilesystem'), true);
      assert.equal(dig(botContainer, 'securityContext.allowPrivilegeEscalation'), false);
      assert.deepEqual(dig(botContainer, 'securityContext.capabilities.drop'), ['ALL']);
      const tmpMount = asList(botContainer.volumeMounts, 'volumeMounts')
        .map((m) => asMap(m, 'mount'))
        .find((m) => m.mountPath === '/tmp');
      assert.ok(tmpMount);
      const volume = asList(pod.volumes, 'volumes')
        .map((v) => asMap(v, 'volume'))
        .find((v) => v.name === tmpMount.name);
      assert.ok(volume?.emptyDir !== undefined, '/tmp is an emptyDir');
    });

    it('reads its secrets from files of a mounted Secret, through the *_FILE variables', () => {
      const env = containerEnv(botContainer);
      const mounts = asList(botContainer.volumeMounts, 'volumeMounts').map((m) => asMap(m, 'mount'));
      const secretVolumes = asList(podSpec(bot).volumes, 'volumes')
        .map((v) => asMap(v, 'volume'))
        .filter((v) => v.secret !== undefined);
      const secretPaths = mounts
        .filter((m) => secretVolumes.some((v) => v.name === m.name))
        .map((m) => asString(m.mountPath, 'mountPath'));
      const example = readYamlDocuments(`${KubernetesFolder}/secret.example.yaml`).map((d) => asMap(d, 'secret'));
      for (const name of ['DISCORD_TOKEN_FILE', 'DATABASE_URL_FILE', 'LAVALINK_PASSWORD_FILE']) {
        const path = env.get(name)?.value;
        assert.ok(path, `${name} is set`);
        const dir = secretPaths.find((p) => path.startsWith(`${p}/`));
        assert.ok(dir, `${name} points into the mounted Secret`);
        const key = path.slice(dir.length + 1);
        const secretName = asString(dig(secretVolumes[0], 'secret.secretName'), 'secretName');
        const documented = example.find((s) => dig(s, 'metadata.name') === secretName);
        assert.ok(documented && key in asMap(documented.stringData, 'stringData'), `${key} is in secret.example.yaml`);
      }
    });
  });

  describe('secrets', () => {
    it('are never embedded: every secret variable of every container comes from a reference or a file', () => {
      for (const manifest of manifests.filter((m) => ['Deployment', 'StatefulSet'].includes(m.kind))) {
        for (const container of asList(podSpec(manifest).containers, 'containers').map((c) => asMap(c, 'container'))) {
          for (const [name, entry] of containerEnv(container)) {
            if (SecretVariable.test(name)) {
              assert.ok(
                entry.valueFrom?.secretKeyRef !== undefined,
                `${manifest.name}: ${name} comes from a secretKeyRef`,
              );
            }
          }
        }
      }
    });

    it('leave the example Secret with placeholders only', () => {
      for (const secret of readYamlDocuments(`${KubernetesFolder}/secret.example.yaml`).map((d) =>
        asMap(d, 'secret'),
      )) {
        assert.equal(secret.kind, 'Secret');
        assert.equal(secret.data, undefined, 'no base64 data');
        for (const [key, value] of Object.entries(asMap(secret.stringData, 'stringData'))) {
          assert.match(asString(value, key), /<[^>]+>/, `${key} is a placeholder`);
        }
      }
    });
  });

  describe('the collector Deployment', () => {
    it('loads the same config files as docker compose, from the generated ConfigMap', () => {
      assert.deepEqual(
        collectorContainer.args,
        collectorConfigFiles().map((file) => `--config=/etc/otelcol-contrib/${file}`),
      );
      const mount = asList(collectorContainer.volumeMounts, 'volumeMounts').map((m) => asMap(m, 'mount'))[0];
      assert.equal(mount?.mountPath, '/etc/otelcol-contrib');
      const volume = asList(podSpec(collector).volumes, 'volumes').map((v) => asMap(v, 'volume'))[0];
      assert.equal(dig(volume, 'configMap.name'), 'otel-collector-config');
    });

    it('runs one replica, replaced not rolled, because tail sampling needs every span of a trace', () => {
      assert.equal(dig(collector.body, 'spec.replicas'), 1);
      assert.equal(dig(collector.body, 'spec.strategy.type'), 'Recreate');
    });

    it('probes the health_check extension and runs hardened like the bot', () => {
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        assert.equal(httpProbe(collectorContainer, probe).port, 13133, probe);
      }
      assert.equal(dig(podSpec(collector), 'securityContext.runAsNonRoot'), true);
      assert.equal(dig(collectorContainer, 'securityContext.readOnlyRootFilesystem'), true);
      assert.deepEqual(dig(collectorContainer, 'securityContext.capabilities.drop'), ['ALL']);
      assert.ok(dig(collectorContainer, 'resources.limits.memory') !== undefined, 'memory_limiter needs a limit');
    });

    it('uses the image docker compose pins', () => {
      const composeImage = asString(
        dig(readYaml('docker-compose.yml'), 'services.otel-collector.image'),
        'compose image',
      );
      assert.equal(collectorContainer.image, composeImage);
    });
  });

  it('parses every manifest of the folder', () => {
    for (const file of listFiles(KubernetesFolder)) {
      const documents = file === 'kustomization.yaml' ? [readYaml(`${KubernetesFolder}/${file}`)] : loadManifests(file);
      assert.ok(asOptionalList(documents, file).length > 0, `${file} has content`);
    }
  });
});

function parseAll(text: string): YamlMap[] {
  return text
    .split(/^---$/m)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk, index) => asMap(parseYamlText(chunk, `kubectl kustomize output [${index}]`), `object ${index}`));
}
