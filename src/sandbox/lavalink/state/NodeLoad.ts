/** The machine figures a sandbox node reports in `stats`; tests change them with `SandboxLavalink.setLoad`. */
export interface NodeLoad {
  readonly cores: number;
  /** 0-1, the whole machine. Shoukaku's node penalty grows exponentially with it. */
  readonly systemLoad: number;
  /** 0-1, the Lavalink process. */
  readonly lavalinkLoad: number;
  /** Frames per minute that had no audio, per playing player (Lavalink reports averages). */
  readonly nulledFrames: number;
  /** Frames per minute that were never sent, per playing player. */
  readonly deficitFrames: number;
}

/** A quiet four-core machine. */
export const DefaultNodeLoad: NodeLoad = Object.freeze({
  cores: 4,
  systemLoad: 0.05,
  lavalinkLoad: 0.01,
  nulledFrames: 0,
  deficitFrames: 0,
});
