import { readText, readYaml } from './readYaml.js';
import { asList, asMap, asOptionalMap, asString, isMap, type YamlMap } from './shape.js';

export const ComposeFile = 'docker-compose.yml';
export const EnvExampleFile = '.env.example';

/** docker-compose.yml as written (variables not interpolated). */
export function loadCompose(): YamlMap {
  return asMap(readYaml(ComposeFile), ComposeFile);
}

export function composeServices(compose: YamlMap = loadCompose()): YamlMap {
  return asMap(compose.services, 'services');
}

export function composeService(name: string, compose: YamlMap = loadCompose()): YamlMap {
  const services = composeServices(compose);
  if (!(name in services)) throw new Error(`services.${name}: no such service in ${ComposeFile}`);
  return asMap(services[name], `services.${name}`);
}

/** A service's environment as a map, whether written as a mapping or as a list of NAME=value. */
export function serviceEnvironment(service: YamlMap, where = 'service'): Map<string, string> {
  const env = new Map<string, string>();
  const raw = service.environment;
  if (raw === undefined || raw === null) return env;
  if (isMap(raw)) {
    for (const [name, value] of Object.entries(raw)) env.set(name, value === null ? '' : String(value));
    return env;
  }
  for (const [index, item] of asList(raw, `${where}.environment`).entries()) {
    const text = asString(item, `${where}.environment[${index}]`);
    const equals = text.indexOf('=');
    env.set(equals === -1 ? text : text.slice(0, equals), equals === -1 ? '' : text.slice(equals + 1));
  }
  return env;
}

/** A port mapping of a service: the host side (when published) and the container side. */
export interface PortMapping {
  readonly hostIp?: string;
  readonly hostPort?: number;
  readonly containerPort: number;
}

/** `ports:` in short syntax (`"127.0.0.1:4317:4317"`, `"8080:8080"`, `"9090"`), parsed. */
export function publishedPorts(service: YamlMap, where = 'service'): PortMapping[] {
  const raw = service.ports;
  if (raw === undefined || raw === null) return [];
  return asList(raw, `${where}.ports`).map((item, index) => {
    const text = String(item).replace(/\/(tcp|udp)$/, '');
    const parts = text.split(':');
    const container = Number(parts.at(-1));
    if (!Number.isInteger(container)) throw new Error(`${where}.ports[${index}]: cannot read ${text}`);
    if (parts.length === 1) return { containerPort: container };
    if (parts.length === 2) return { hostPort: Number(parts[0]), containerPort: container };
    return { hostIp: parts.slice(0, -2).join(':'), hostPort: Number(parts.at(-2)), containerPort: container };
  });
}

/** `expose:` ports plus the container side of `ports:`: everything other services may connect to. */
export function reachablePorts(service: YamlMap, where = 'service'): Set<number> {
  const ports = new Set(publishedPorts(service, where).map((mapping) => mapping.containerPort));
  for (const item of service.expose === undefined ? [] : asList(service.expose, `${where}.expose`)) {
    ports.add(Number(item));
  }
  return ports;
}

/** Bind mounts of a service (`./host/path:/container/path[:ro]`), named volumes left out. */
export function bindMounts(service: YamlMap, where = 'service'): Array<{ source: string; target: string }> {
  const raw = service.volumes;
  if (raw === undefined || raw === null) return [];
  return asList(raw, `${where}.volumes`)
    .map((item, index) => asString(item, `${where}.volumes[${index}]`))
    .filter((text) => text.startsWith('./') || text.startsWith('/'))
    .map((text) => {
      const [source = '', target = ''] = text.split(':');
      return { source, target };
    });
}

/** The command of a service as a list of arguments. */
export function serviceCommand(service: YamlMap, where = 'service'): string[] {
  const raw = service.command;
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return raw.split(/\s+/).filter((part) => part !== '');
  return asList(raw, `${where}.command`).map((item, index) => asString(item, `${where}.command[${index}]`));
}

/** `depends_on` as a map of service name -> condition. */
export function dependsOn(service: YamlMap, where = 'service'): Map<string, string> {
  const raw = service.depends_on;
  const out = new Map<string, string>();
  if (raw === undefined || raw === null) return out;
  if (Array.isArray(raw)) {
    for (const name of raw) out.set(String(name), 'service_started');
    return out;
  }
  for (const [name, value] of Object.entries(asMap(raw, `${where}.depends_on`))) {
    out.set(name, asString(asOptionalMap(value, `${where}.depends_on.${name}`).condition, `${where}.depends_on`));
  }
  return out;
}

/** A `${NAME...}` reference in the compose file, with whether it has a default and whether it is required. */
export interface ComposeVariable {
  readonly name: string;
  readonly hasDefault: boolean;
  readonly required: boolean;
}

/** Every variable docker-compose.yml interpolates, from its text (so comments are ignored by parsing lines). */
export function composeVariables(text: string = readText(ComposeFile)): ComposeVariable[] {
  const found = new Map<string, ComposeVariable>();
  const code = text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .join('\n');
  for (const match of code.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?[^}]*\}/g)) {
    const [, name = '', operator = ''] = match;
    const previous = found.get(name);
    const variable = {
      name,
      hasDefault: operator.endsWith('-') || (previous?.hasDefault ?? false),
      required: operator.endsWith('?') || (previous?.required ?? false),
    };
    found.set(name, variable);
  }
  return [...found.values()];
}

/** NAME=value lines of an env file (comments and blank lines skipped). */
export function readEnvFile(path: string = EnvExampleFile): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of readText(path).split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    if (equals === -1) throw new Error(`${path}: not NAME=value: ${trimmed}`);
    values.set(trimmed.slice(0, equals), trimmed.slice(equals + 1));
  }
  return values;
}
