/** Lavalink's `GET /v4/info` answer. */
export interface NodeInfo {
  readonly version: {
    readonly semver: string;
    readonly major: number;
    readonly minor: number;
    readonly patch: number;
    readonly preRelease: string | null;
    readonly build: string | null;
  };
  readonly buildTime: number;
  readonly git: { readonly branch: string; readonly commit: string; readonly commitTime: number };
  readonly jvm: string;
  readonly lavaplayer: string;
  readonly sourceManagers: readonly string[];
  readonly filters: readonly string[];
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
}

/** The Lavalink release the sandbox imitates: 4.2, the first with DAVE (end-to-end-encrypted voice). */
export const SANDBOX_LAVALINK_VERSION = '4.2.2';

/** The filters every Lavalink node supports. */
export const LAVALINK_FILTERS = [
  'volume',
  'equalizer',
  'karaoke',
  'timescale',
  'tremolo',
  'vibrato',
  'distortion',
  'rotation',
  'channelMix',
  'lowPass',
] as const;

/** The `/v4/info` of a sandbox node. */
export function sandboxNodeInfo(): NodeInfo {
  const [major = 4, minor = 2, patch = 2] = SANDBOX_LAVALINK_VERSION.split('.').map(Number);
  return {
    version: { semver: SANDBOX_LAVALINK_VERSION, major, minor, patch, preRelease: null, build: null },
    buildTime: Date.UTC(2026, 2, 20),
    git: { branch: 'main', commit: 'sandbox', commitTime: Date.UTC(2026, 2, 20) },
    jvm: '21.0.6',
    lavaplayer: '2.2.6',
    sourceManagers: ['youtube', 'soundcloud', 'http'],
    filters: [...LAVALINK_FILTERS],
    plugins: [{ name: 'youtube-plugin', version: '1.13.3' }],
  };
}
