/** Why Lavalink could not serve a request. */
export type LavalinkUnavailableReason =
  /** No node is configured: music is not set up. */
  | 'disabled'
  /** Nodes are configured, but none is connected. */
  | 'no_node'
  /** The gateway was closed. */
  | 'closed'
  /** The guild's player was destroyed, or lost with its node. */
  | 'player_released';

const Messages: Record<LavalinkUnavailableReason, string> = {
  disabled: 'no Lavalink node is configured',
  no_node: 'no Lavalink node is connected',
  closed: 'the Lavalink gateway is closed',
  player_released: 'the player was destroyed or lost with its node',
};

/** An infrastructure error: Lavalink cannot take the request now. Not a user error; the reason is for operators. */
export class LavalinkUnavailableError extends Error {
  override readonly name = 'LavalinkUnavailableError';

  constructor(
    readonly reason: LavalinkUnavailableReason,
    readonly guildId?: string,
    options?: ErrorOptions,
  ) {
    super(guildId ? `${Messages[reason]} (guild ${guildId})` : Messages[reason], options);
  }
}
