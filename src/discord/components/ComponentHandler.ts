import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { CommandContext } from '../commands/Command.js';

/** A button or select menu click. */
export type ComponentInteraction = ButtonInteraction | StringSelectMenuInteraction;

/**
 * Handles the components whose custom id starts with `<kind>:`. `argument` is the rest of the custom id (`pause` of
 * `np:pause`, `3` of `queue:3`); it is data for the handler and never reaches a span name or a metric.
 */
export interface ComponentHandler {
  readonly kind: string;
  execute(interaction: ComponentInteraction, argument: string, context: CommandContext): Promise<void>;
}

/** Splits a custom id into its kind (before the first `:`) and argument. */
export function parseCustomId(customId: string): { kind: string; argument: string } {
  const colon = customId.indexOf(':');
  return colon < 0
    ? { kind: customId, argument: '' }
    : { kind: customId.slice(0, colon), argument: customId.slice(colon + 1) };
}
