import type { DeepReadonly } from './schema.js';

/**
 * Freezes an object and everything reachable from it, so that no part of the program can change the configuration
 * another part relies on (in strict mode, an assignment throws).
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value as DeepReadonly<T>;
}
