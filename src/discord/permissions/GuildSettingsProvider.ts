/**
 * Per-guild settings the Discord layer reads. The persistence issue provides the real implementation (backed by the
 * database); until then, and in tests, {@link NoGuildSettings} answers with the defaults.
 */
export interface GuildSettingsProvider {
  /** The role that may control playback in the guild, or null when anyone in the bot's voice channel may. */
  djRoleId(guildId: string): Promise<string | null>;
}

/** Settings of a guild that configured nothing: no DJ role. */
export class NoGuildSettings implements GuildSettingsProvider {
  async djRoleId(): Promise<string | null> {
    return null;
  }
}
