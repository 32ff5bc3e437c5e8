import { GatewayDispatchEvents, type GatewayDispatchPayload, type GatewayVoiceServerUpdateDispatch } from 'discord.js';
import { type Connection, Connectors } from 'shoukaku';

interface HeldServerUpdate {
  /** The connection the update was held for; a later connection of the guild must not receive it. */
  readonly connection: Connection;
  readonly packet: GatewayVoiceServerUpdateDispatch;
}

/**
 * shoukaku's discord.js connector, made indifferent to the order of the two events Discord answers a voice join with.
 * Discord sends VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE in no fixed order (discord.js issue #11553), and shoukaku
 * 4.3 fails the join at once ("missing session id") when the server update comes first. So while a guild's
 * connection has no session id yet, its server update is held and handed on right after the bot's state update that
 * brings the session id. A newer server update replaces a held one; one whose connection went away is dropped.
 */
export class OrderedVoiceConnector extends Connectors.DiscordJS {
  readonly #held = new Map<string, HeldServerUpdate>();

  protected override raw(packet: GatewayDispatchPayload): void {
    this.#dropOrphans();
    if (packet.t === GatewayDispatchEvents.VoiceServerUpdate) {
      const connection = this.manager?.connections.get(packet.d.guild_id);
      if (connection?.sessionId === null) {
        this.#held.set(packet.d.guild_id, { connection, packet });
        this.#debug(`held a server update until the session id arrives | Guild: ${packet.d.guild_id}`);
        return;
      }
      this.#held.delete(packet.d.guild_id);
      super.raw(packet);
      return;
    }
    super.raw(packet);
    if (packet.t === GatewayDispatchEvents.VoiceStateUpdate && packet.d.guild_id) this.#release(packet.d.guild_id);
  }

  #release(guildId: string): void {
    const held = this.#held.get(guildId);
    // Another member's state update, or the bot's that brought no session id: keep waiting.
    if (!held || held.connection.sessionId === null) return;
    this.#held.delete(guildId);
    // The bot left before the join completed: a server update would make shoukaku report a connection to nowhere.
    if (held.connection.channelId === null) return;
    this.#debug(`handed on a held server update | Guild: ${guildId}`);
    super.raw(held.packet);
  }

  /** Held updates whose connection was destroyed (join timed out, bot left) or replaced by a new join. */
  #dropOrphans(): void {
    for (const [guildId, held] of this.#held) {
      if (this.manager?.connections.get(guildId) !== held.connection) this.#held.delete(guildId);
    }
  }

  #debug(message: string): void {
    this.manager?.emit('debug', this.constructor.name, `[Voice] ${message}`);
  }
}
