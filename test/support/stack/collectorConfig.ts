import { listFiles, readYaml } from './readYaml.js';
import { asMap, asOptionalMap, asStringList, isMap, type YamlMap } from './shape.js';

/** The folder holding the collector's layered config: one file per concern, all loaded together. */
export const CollectorFolder = 'otel-collector';

/** Optional layers an operator adds with one more `--config` (switching redaction from hashing to dropping). */
export const CollectorOverlayFolder = 'otel-collector/overlays';

/** Files in the collector folder that are not collector config (the kustomize generator for the ConfigMap). */
const NotCollectorConfig = new Set(['kustomization.yaml']);

/** The collector config files the stack loads, by name (without folder), sorted. */
export function collectorConfigFiles(): string[] {
  return listFiles(CollectorFolder).filter((name) => !NotCollectorConfig.has(name));
}

/**
 * Merges config layers the way the collector's confmap does when given several `--config` flags: mappings merge
 * key by key, and anything else (scalars and lists, pipeline component lists included) is replaced by the later
 * layer.
 */
export function mergeCollectorLayers(layers: readonly unknown[]): YamlMap {
  let merged: YamlMap = {};
  for (const layer of layers) merged = mergeMaps(merged, asOptionalMap(layer, 'collector layer'));
  return merged;
}

function mergeMaps(base: YamlMap, over: YamlMap): YamlMap {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] = isMap(existing) && isMap(value) ? mergeMaps(existing, value) : value;
  }
  return out;
}

/** The merged base config, optionally with overlay files (names inside the overlay folder) on top. */
export function loadCollectorConfig(overlays: readonly string[] = []): YamlMap {
  const layers = collectorConfigFiles().map((name) => readYaml(`${CollectorFolder}/${name}`));
  for (const overlay of overlays) layers.push(readYaml(`${CollectorOverlayFolder}/${overlay}`));
  return mergeCollectorLayers(layers);
}

/** The four kinds of component a pipeline can name, keyed as in the config's top level. */
export const ComponentKinds = ['receivers', 'processors', 'connectors', 'exporters', 'extensions'] as const;
export type ComponentKind = (typeof ComponentKinds)[number];

/** One pipeline of `service.pipelines`, its id (`traces/sampled`) and the component ids it lists. */
export interface CollectorPipeline {
  readonly id: string;
  /** The signal, the part of the id before `/`. */
  readonly signal: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

export function pipelinesOf(config: YamlMap): CollectorPipeline[] {
  const pipelines = asMap(asMap(config.service, 'service').pipelines, 'service.pipelines');
  return Object.entries(pipelines).map(([id, value]) => {
    const pipeline = asMap(value, `service.pipelines.${id}`);
    const where = `service.pipelines.${id}`;
    return {
      id,
      signal: id.split('/')[0] ?? id,
      receivers: asStringList(pipeline.receivers ?? [], `${where}.receivers`),
      processors: asStringList(pipeline.processors ?? [], `${where}.processors`),
      exporters: asStringList(pipeline.exporters ?? [], `${where}.exporters`),
    };
  });
}

/** Ids of the components defined under a top-level section (`receivers`, ...). */
export function definedComponents(config: YamlMap, kind: ComponentKind): string[] {
  return Object.keys(asOptionalMap(config[kind], kind));
}

/** The component type of an id: `otlp_http/loki` -> `otlp_http`. */
export function componentType(id: string): string {
  return id.split('/')[0] ?? id;
}

/** The settings of one defined component (empty when written as a bare key). */
export function componentSettings(config: YamlMap, kind: ComponentKind, id: string): YamlMap {
  const section = asOptionalMap(config[kind], kind);
  if (!(id in section)) throw new Error(`${kind}.${id}: not defined`);
  return asOptionalMap(section[id], `${kind}.${id}`);
}

/**
 * A config string as the collector resolves it when the referenced variables are unset: `${env:NAME:-default}`
 * becomes `default`, `${env:NAME}` becomes the empty string. Used to read the endpoints the stack uses out of the box.
 */
export function resolveEnvDefaults(value: string): string {
  return value.replace(
    /\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-([^}]*))?\}/g,
    (_match, fallback?: string) => fallback ?? '',
  );
}
