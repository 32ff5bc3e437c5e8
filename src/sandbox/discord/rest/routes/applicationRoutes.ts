import { type APIApplication, type APIUser, ApplicationFlags } from 'discord-api-types/v10';
import { guildPayload, userPayload } from '../../state/guildPayloads.js';
import { ApiErrors } from '../DiscordApiError.js';
import type { RouteDefinition } from '../Router.js';
import type { RestContext } from './RestContext.js';

/** The application object of `GET /applications/@me` and `GET /oauth2/applications/@me`. */
export function applicationPayload(context: RestContext): APIApplication {
  const { state } = context;
  const owner: APIUser = { id: '1', username: 'sandbox-owner', discriminator: '0', global_name: null, avatar: null };
  return {
    id: state.applicationId,
    name: state.applicationName,
    icon: null,
    description: 'A bot running against the sandbox Discord',
    summary: '',
    bot: { ...state.botUser, verified: true, mfa_enabled: false },
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    owner,
    team: null,
    flags: ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.ApplicationCommandBadge,
    flags_new: String(ApplicationFlags.GatewayGuildMembersLimited | ApplicationFlags.ApplicationCommandBadge),
    approximate_guild_count: state.guilds.size,
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    integration_types_config: { 0: {} },
  };
}

/** Gateway discovery, the current user and the current application. */
export function applicationRoutes(context: RestContext): RouteDefinition[] {
  const { state } = context;
  return [
    {
      method: 'GET',
      pattern: '/gateway',
      auth: false,
      handle: () => ({ status: 200, body: { url: context.gatewayUrl() } }),
    },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () => ({
        status: 200,
        body: {
          url: context.gatewayUrl(),
          shards: context.shardCount,
          session_start_limit: context.sessionStartLimit(),
        },
      }),
    },
    {
      method: 'GET',
      pattern: '/users/@me',
      auth: true,
      handle: () => ({
        status: 200,
        body: { ...state.botUser, verified: true, mfa_enabled: false, locale: 'en-US', email: null },
      }),
    },
    {
      method: 'GET',
      pattern: '/users/@me/guilds',
      auth: true,
      handle: () => ({
        status: 200,
        body: [...state.guilds.values()].map((guild) => {
          const { id, name, icon, banner, owner_id, features } = guildPayload(guild);
          return {
            id,
            name,
            icon,
            banner,
            owner: owner_id === state.bot.id,
            permissions: guild.permissionsOf(state.bot.id).toString(),
            features,
          };
        }),
      }),
    },
    {
      method: 'GET',
      pattern: '/users/:userId',
      auth: true,
      handle: ({ params }) => {
        const user = state.users.get(params.userId ?? '');
        if (!user) throw ApiErrors.unknownUser();
        return { status: 200, body: userPayload(user) };
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: true,
      handle: () => ({ status: 200, body: applicationPayload(context) }),
    },
    {
      method: 'GET',
      pattern: '/oauth2/applications/@me',
      auth: true,
      handle: () => ({ status: 200, body: applicationPayload(context) }),
    },
  ];
}
