export type { GatewayLogEntry, ShardSessionInfo } from './gateway/GatewayLog.js';
export { CommandInputError } from './interactions/CommandInputError.js';
export type { InteractionRun, WaitOptions } from './interactions/InteractionRun.js';
export type {
  AutocompleteRunInput,
  ChatInputRunInput,
  CommandRunOptions,
  ComponentRunInput,
  OptionValue,
  RunCommandInput,
  RunTarget,
} from './interactions/RunCommandInput.js';
export type {
  InteractionResponseKind,
  SandboxInteractionResponse,
} from './interactions/SandboxInteractionResponse.js';
export type { FailureFault, RateLimitFault, RequestMatcher } from './rest/FaultInjector.js';
export type { RateLimitPolicy } from './rest/RateLimiter.js';
export type { SandboxRequestLogEntry } from './rest/RestServer.js';
export { SandboxDiscord, type SandboxDiscordEvents } from './SandboxDiscord.js';
export {
  DefaultSandboxDiscordOptions,
  type SandboxDiscordOptions,
} from './SandboxDiscordOptions.js';
export { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, defaultGuildSpec } from './state/defaultGuildSpec.js';
export type {
  ChannelKind,
  ChannelSpec,
  GuildSpec,
  MemberSpec,
  PermissionOverwriteSpec,
  RoleSpec,
} from './state/GuildSpec.js';
export type { SandboxOverwrite } from './state/permissionOverwrites.js';
export type {
  SandboxChannel,
  SandboxGuild,
  SandboxMember,
  SandboxRole,
  SandboxUser,
  SandboxVoiceState,
} from './state/SandboxGuild.js';
export { SnowflakeGenerator } from './util/SnowflakeGenerator.js';
