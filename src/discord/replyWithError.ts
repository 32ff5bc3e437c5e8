import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { DbError } from '../db/errors/DbError.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { ComponentInteraction } from './components/ComponentHandler.js';
import { NoMentions } from './presenters/safeText.js';

/** What the member reads when the bot failed: no error text, only the reference operators search for. */
export function faultMessage(reference: string): string {
  return `Something went wrong on my side. If it keeps happening, give the bot's operators this reference: \`${reference}\``;
}

/**
 * The reply to a fault the member can make sense of, or undefined for {@link faultMessage}: a database that cannot
 * be reached (after the repository's retries) is said as such, still with the reference, and never with the error's
 * text. The interaction still counts as an `error`: it is the bot's failure, not the member's.
 */
export function outageMessage(error: unknown, reference: string): string | undefined {
  if (!(error instanceof DbError)) return undefined;
  return `I cannot reach my database right now, so I cannot check settings, permissions or history. Music that is already playing keeps playing. Try again in a minute; if it keeps happening, give the bot's operators this reference: \`${reference}\``;
}

/**
 * Tells the member why their interaction failed: `reason` for an expected refusal, else {@link faultMessage}. A fresh
 * interaction gets an ephemeral reply. A command that already deferred or replied has its reply edited (keeping its
 * visibility); a component that already answered gets an ephemeral follow-up, so the message it sits on (search
 * results, the now-playing message) is never overwritten by an error. Never throws: a failed error reply is logged.
 */
export async function replyWithError(
  interaction: ChatInputCommandInteraction | ComponentInteraction,
  reason: string | undefined,
  reference: string,
  logger: Logger,
): Promise<void> {
  const content = reason ?? faultMessage(reference);
  try {
    if (!interaction.deferred && !interaction.replied) {
      await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NoMentions });
    } else if (interaction.isChatInputCommand()) {
      await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NoMentions });
    } else {
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NoMentions });
    }
  } catch (replyError) {
    logger.warn({ err: replyError, interaction_id: interaction.id }, 'could not send the error reply');
  }
}
