/**
 * Span names, attribute keys and metric values of the interactions that are not slash commands. They belong with the
 * rest of the vocabulary in `src/telemetry/TelemetryNames.ts` (`SpanNames`, `AttributeNames`); until they move there
 * they live here, in one place, and nowhere else.
 */
export const InteractionSpanNames = {
  /** `autocomplete play`: a registered command name or `unknown`. */
  autocomplete: (command: string) => `autocomplete ${command}`,
  /** `component np`: the custom id's prefix of a registered component handler, or `unknown`. */
  component: (kind: string) => `component ${kind}`,
} as const;

export const InteractionAttributeNames = {
  /** Span attribute: the component handler's kind (`np`, `queue`, `search`, `unknown`). Never the full custom id. */
  DiscordComponentKind: 'discord.component.kind',
} as const;

/**
 * The `command` value of `metronome.command.duration` for a component: `component:np`, `component:queue`,
 * `component:search` or `component:unknown`. Bounded by the component registry, like command names.
 */
export function componentMetricName(kind: string): string {
  return `component:${kind}`;
}
