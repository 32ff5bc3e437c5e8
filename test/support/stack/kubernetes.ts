import { readYaml, readYamlDocuments } from './readYaml.js';
import { asList, asMap, asOptionalList, asOptionalMap, asString, type YamlMap } from './shape.js';

export const KubernetesFolder = 'config/kubernetes';

/** A Kubernetes object as parsed, with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly body: YamlMap;
}

export function loadKustomization(): YamlMap {
  return asMap(readYaml(`${KubernetesFolder}/kustomization.yaml`), 'kustomization.yaml');
}

/** Entries of the kustomization's `resources` (files and folders), as written. */
export function kustomizationResources(kustomization: YamlMap = loadKustomization()): string[] {
  return asOptionalList(kustomization.resources, 'resources').map((item, index) =>
    asString(item, `resources[${index}]`),
  );
}

/** Every object in a manifest file of the kubernetes folder. */
export function loadManifests(file: string): Manifest[] {
  return readYamlDocuments(`${KubernetesFolder}/${file}`).map((document, index) => {
    const body = asMap(document, `${file}[${index}]`);
    const metadata = asMap(body.metadata, `${file}[${index}].metadata`);
    return {
      file,
      kind: asString(body.kind, `${file}[${index}].kind`),
      name: asString(metadata.name, `${file}[${index}].metadata.name`),
      body,
    };
  });
}

/** The objects `kubectl apply -k` applies from this folder's own files (generated ConfigMaps excluded). */
export function appliedManifests(): Manifest[] {
  return kustomizationResources()
    .filter((resource) => resource.endsWith('.yaml') || resource.endsWith('.yml'))
    .flatMap((file) => loadManifests(file));
}

export function findManifest(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} among the applied manifests`);
  return found;
}

/** The pod template spec of a workload (Deployment, StatefulSet). */
export function podSpec(workload: Manifest): YamlMap {
  const where = `${workload.file} ${workload.kind}/${workload.name}`;
  return asMap(asMap(asMap(workload.body.spec, `${where}.spec`).template, `${where}.template`).spec, `${where}.pod`);
}

export function containers(workload: Manifest): YamlMap[] {
  const spec = podSpec(workload);
  return asList(spec.containers, `${workload.name}.containers`).map((item, index) =>
    asMap(item, `${workload.name}.containers[${index}]`),
  );
}

/** The one container of a single-container workload. */
export function onlyContainer(workload: Manifest): YamlMap {
  const all = containers(workload);
  const [first] = all;
  if (all.length !== 1 || first === undefined) throw new Error(`${workload.name}: expected exactly one container`);
  return first;
}

/** A container's env entries: name -> literal value, or undefined for valueFrom entries. */
export function containerEnv(container: YamlMap): Map<string, { value?: string; valueFrom?: YamlMap }> {
  const env = new Map<string, { value?: string; valueFrom?: YamlMap }>();
  for (const [index, item] of asOptionalList(container.env, 'env').entries()) {
    const entry = asMap(item, `env[${index}]`);
    const name = asString(entry.name, `env[${index}].name`);
    if (entry.valueFrom !== undefined) env.set(name, { valueFrom: asMap(entry.valueFrom, `env.${name}.valueFrom`) });
    else env.set(name, { value: entry.value === undefined ? '' : String(entry.value) });
  }
  return env;
}

/** The literal value of an env var, throwing when it is absent or comes from a reference. */
export function envValue(container: YamlMap, name: string): string {
  const entry = containerEnv(container).get(name);
  if (entry?.value === undefined) throw new Error(`env ${name}: no literal value`);
  return entry.value;
}

/** A container port by name -> number. */
export function containerPorts(container: YamlMap): Map<string, number> {
  const ports = new Map<string, number>();
  for (const [index, item] of asOptionalList(container.ports, 'ports').entries()) {
    const port = asMap(item, `ports[${index}]`);
    ports.set(String(port.name ?? index), Number(port.containerPort));
  }
  return ports;
}

/** Resolves a probe's (or Service targetPort's) port, named or numeric, to a number. */
export function resolvePort(container: YamlMap, port: unknown): number {
  if (typeof port === 'number') return port;
  const named = containerPorts(container).get(String(port));
  if (named === undefined) throw new Error(`no container port named ${String(port)}`);
  return named;
}

/** The httpGet of a probe, or throws when the probe is missing or not an HTTP GET. */
export function httpProbe(container: YamlMap, probe: string): { path: string; port: number; probe: YamlMap } {
  const spec = asMap(container[probe], probe);
  const get = asMap(spec.httpGet, `${probe}.httpGet`);
  return { path: asString(get.path, `${probe}.httpGet.path`), port: resolvePort(container, get.port), probe: spec };
}

export function labelsOf(map: unknown, where: string): YamlMap {
  return asOptionalMap(map, where);
}
