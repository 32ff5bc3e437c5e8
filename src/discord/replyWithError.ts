import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { ComponentInteraction } from './components/ComponentHandler.js';
import { NoMentions } from './presenters/safeText.js';

/** What the member reads when the bot failed: no error text, only the reference operators search for. */
export function faultMessage(reference: string): string {
  return `Something went wrong on my side. If it keeps happening, give the bot's operators this reference: \`${reference}\``;
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
