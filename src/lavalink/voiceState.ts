import type { Connection, LavalinkPlayerVoiceOptions } from 'shoukaku';

/** The voice state of a connection, complete, or what it lacks. */
export type VoiceStateCheck =
  | { readonly ok: true; readonly voice: LavalinkPlayerVoiceOptions }
  | { readonly ok: false; readonly missing: string };

/**
 * The voice state Lavalink needs to reach Discord's voice server. Lavalink >= 4.2 (DAVE) answers 400 to one without
 * `channelId`, and shoukaku 4.3 sends `channelId: null` after the bot left voice (shoukaku issue #230), so every
 * voice update Metronome sends goes through this check first.
 */
export function voiceStateOf(connection: Connection | undefined): VoiceStateCheck {
  if (!connection) return { ok: false, missing: 'connection' };
  const server = connection.serverUpdate;
  if (!server?.token) return { ok: false, missing: 'token' };
  if (!server.endpoint) return { ok: false, missing: 'endpoint' };
  if (!connection.sessionId) return { ok: false, missing: 'sessionId' };
  if (!connection.channelId) return { ok: false, missing: 'channelId' };
  return {
    ok: true,
    voice: {
      token: server.token,
      endpoint: server.endpoint,
      sessionId: connection.sessionId,
      channelId: connection.channelId,
    },
  };
}

/** A voice state that cannot be sent to Lavalink because part of it is unknown. */
export class VoiceStateError extends Error {
  override readonly name = 'VoiceStateError';

  constructor(
    readonly guildId: string,
    readonly missing: string,
  ) {
    super(`the voice state of guild ${guildId} has no ${missing}`);
  }
}
