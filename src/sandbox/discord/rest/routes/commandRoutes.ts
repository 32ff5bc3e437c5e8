import type { CommandBody } from '../../state/CommandStore.js';
import { ApiErrors } from '../DiscordApiError.js';
import type { RouteDefinition, RouteRequest } from '../Router.js';
import type { RestContext } from './RestContext.js';

/** Global and guild application commands: list, bulk overwrite, create, fetch, edit, delete. */
export function commandRoutes(context: RestContext): RouteDefinition[] {
  const { state } = context;
  const scope = ({ params }: RouteRequest): string | undefined => {
    if (params.applicationId !== state.applicationId) throw ApiErrors.missingAccess();
    if (params.guildId === undefined) return undefined;
    if (!state.guilds.has(params.guildId)) throw ApiErrors.missingAccess();
    return params.guildId;
  };
  const routesFor = (base: string, major: string): RouteDefinition[] => [
    {
      method: 'GET',
      pattern: base,
      auth: true,
      majorParameter: major,
      handle: (request) => ({ status: 200, body: state.commands.list(scope(request)) }),
    },
    {
      method: 'PUT',
      pattern: base,
      auth: true,
      majorParameter: major,
      handle: (request) => ({
        status: 200,
        body: state.commands.overwrite((request.body ?? []) as CommandBody[], scope(request)),
      }),
    },
    {
      method: 'POST',
      pattern: base,
      auth: true,
      majorParameter: major,
      handle: (request) => {
        const { command, created } = state.commands.create((request.body ?? {}) as CommandBody, scope(request));
        return { status: created ? 201 : 200, body: command };
      },
    },
    {
      method: 'GET',
      pattern: `${base}/:commandId`,
      auth: true,
      majorParameter: major,
      handle: (request) => {
        const command = state.commands.get(request.params.commandId ?? '', scope(request));
        if (!command) throw ApiErrors.unknownCommand();
        return { status: 200, body: command };
      },
    },
    {
      method: 'PATCH',
      pattern: `${base}/:commandId`,
      auth: true,
      majorParameter: major,
      handle: (request) => {
        const body = (request.body ?? {}) as Partial<CommandBody>;
        const command = state.commands.edit(request.params.commandId ?? '', body, scope(request));
        if (!command) throw ApiErrors.unknownCommand();
        return { status: 200, body: command };
      },
    },
    {
      method: 'DELETE',
      pattern: `${base}/:commandId`,
      auth: true,
      majorParameter: major,
      handle: (request) => {
        if (!state.commands.delete(request.params.commandId ?? '', scope(request))) throw ApiErrors.unknownCommand();
        return { status: 204 };
      },
    },
  ];
  return [
    ...routesFor('/applications/:applicationId/commands', 'applicationId'),
    ...routesFor('/applications/:applicationId/guilds/:guildId/commands', 'guildId'),
  ];
}
