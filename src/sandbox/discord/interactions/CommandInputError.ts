/**
 * Thrown by `SandboxDiscord.runCommand()` when a test asks for a command invocation no Discord client with an
 * up-to-date command list could send: an unregistered command, an unknown or mistyped option, a missing required
 * option, a value outside the option's choices or limits. The test, not the bot, is wrong.
 */
export class CommandInputError extends Error {
  public override readonly name = 'CommandInputError';

  public constructor(
    /** The command name the input used. */
    public readonly command: string,
    /** What the registered command does not allow. */
    public readonly problem: string,
  ) {
    super(
      `runCommand /${command}: ${problem}. Fix the input, or pass stale: true to send what a client with an ` +
        'outdated command list can send.',
    );
  }
}
