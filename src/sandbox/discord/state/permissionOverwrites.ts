import { OverwriteType } from 'discord-api-types/v10';

/** A channel permission overwrite for one role or member, its id resolved. */
export interface SandboxOverwrite {
  readonly id: string;
  readonly type: OverwriteType;
  readonly allow: bigint;
  readonly deny: bigint;
}

/** Who the overwrites are applied for: the guild (its id is the `@everyone` role's), the member and their roles. */
export interface OverwriteSubject {
  readonly guildId: string;
  readonly userId: string;
  readonly roleIds: readonly string[];
}

/**
 * Applies a channel's overwrites to a member's guild permissions in Discord's order: `@everyone`, then every role of
 * the member together (denies, then allows), then the member's own. Administrators are not exempted here: the caller
 * decides that before, as Discord does.
 */
export function applyOverwrites(
  base: bigint,
  overwrites: readonly SandboxOverwrite[],
  subject: OverwriteSubject,
): bigint {
  const find = (id: string, type: OverwriteType) => overwrites.find((o) => o.id === id && o.type === type);
  let permissions = base;
  const everyone = find(subject.guildId, OverwriteType.Role);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const roleId of subject.roleIds) {
    const overwrite = roleId === subject.guildId ? undefined : find(roleId, OverwriteType.Role);
    allow |= overwrite?.allow ?? 0n;
    deny |= overwrite?.deny ?? 0n;
  }
  permissions = (permissions & ~deny) | allow;
  const own = find(subject.userId, OverwriteType.Member);
  if (own) permissions = (permissions & ~own.deny) | own.allow;
  return permissions;
}
