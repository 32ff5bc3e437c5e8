import { type Span, SpanKind } from '@opentelemetry/api';
import { type ChatInputCommandInteraction, type Interaction, MessageFlags } from 'discord.js';
import type { Instruments } from '../telemetry/Instruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { endSpan, tracer } from '../telemetry/spans.js';
import { AttributeNames, type CommandOutcome, SpanNames } from '../telemetry/TelemetryNames.js';
import type { CommandThrottle } from './CommandThrottle.js';
import type { Command, CommandContext } from './commands/Command.js';
import { UserError } from './errors/UserError.js';

/** What the pipeline needs, injected by the composition root. */
export interface InteractionPipelineOptions {
  readonly commands: readonly Command[];
  readonly context: CommandContext;
  readonly instruments: Instruments;
  readonly logger: Logger;
  readonly throttle: CommandThrottle;
}

/** The short reference users quote to operators: the start of the trace id, enough to find it in logs. */
export function errorReference(span: Span): string {
  return span.spanContext().traceId.slice(0, 12);
}

/**
 * The one boundary every slash command passes through: a `command <name>` span with the interaction's ids, the
 * throttle, `metronome.command.duration` with the outcome, a friendly reply on failure carrying a trace reference,
 * and one log line. Handlers stay short translators because everything cross-cutting lives here.
 */
export class InteractionPipeline {
  readonly #commands: Map<string, Command>;
  readonly #inFlight = new Set<Promise<void>>();
  #accepting = true;

  constructor(private readonly options: InteractionPipelineOptions) {
    this.#commands = new Map(options.commands.map((c) => [c.data.name, c]));
  }

  /** Number of commands being handled now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Entry point for `interactionCreate`. Never rejects: every failure is handled here. */
  handle(interaction: Interaction): Promise<void> {
    if (!interaction.isChatInputCommand()) return Promise.resolve();
    const run = this.#run(interaction);
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
    return run;
  }

  /** Stops accepting commands and waits up to `timeoutMs` for those in flight. True when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#accepting = false;
    if (this.#inFlight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = Promise.allSettled([...this.#inFlight]).then(() => true as const);
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return result;
  }

  async #run(interaction: ChatInputCommandInteraction): Promise<void> {
    const started = performance.now();
    const command = this.#commands.get(interaction.commandName);
    // Only registered names become span names and metric values; anything else is `unknown`.
    const name = command ? interaction.commandName : 'unknown';
    const attributes = {
      [AttributeNames.DiscordCommandName]: name,
      [AttributeNames.DiscordInteractionId]: interaction.id,
      [AttributeNames.DiscordUserId]: interaction.user.id,
      [AttributeNames.DiscordChannelId]: interaction.channelId,
      [AttributeNames.DiscordShardId]: interaction.guild?.shardId ?? 0,
      ...(interaction.guildId ? { [AttributeNames.DiscordGuildId]: interaction.guildId } : {}),
    };
    await tracer().startActiveSpan(SpanNames.command(name), { kind: SpanKind.SERVER, attributes }, async (span) => {
      let outcome: CommandOutcome = 'success';
      let failure: unknown;
      try {
        if (!this.#accepting) throw new UserError('bot.restarting');
        if (!command) throw new UserError('command.unknown', { name: interaction.commandName.slice(0, 32) });
        if (!this.options.throttle.take(interaction.user.id)) {
          outcome = 'throttled';
          this.options.instruments.automationActions.add(1, {
            [AttributeNames.Action]: 'command_throttled',
            [AttributeNames.Outcome]: 'applied',
          });
          throw new UserError('command.throttled');
        }
        await command.execute(interaction, this.options.context);
      } catch (error) {
        failure = error;
        if (outcome !== 'throttled') outcome = error instanceof UserError ? 'user_error' : 'error';
        await this.#replyWithError(interaction, error, span);
      } finally {
        const seconds = (performance.now() - started) / 1000;
        span.setAttribute(AttributeNames.MetronomeOutcome, outcome);
        this.options.instruments.commandDuration.record(seconds, {
          [AttributeNames.Command]: name,
          [AttributeNames.Outcome]: outcome,
        });
        this.#log(interaction, name, outcome, seconds, failure, span);
        // User errors are expected: the span stays OK so tail sampling keeps only real failures as errors.
        endSpan(span, outcome === 'error' ? failure : undefined);
      }
    });
  }

  async #replyWithError(interaction: ChatInputCommandInteraction, error: unknown, span: Span): Promise<void> {
    const content =
      error instanceof UserError
        ? error.message
        : `Something went wrong on my side. If it keeps happening, give the bot's operators this reference: \`${errorReference(span)}\``;
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply({ content, embeds: [] });
      else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    } catch (replyError) {
      this.options.logger.warn({ err: replyError, interaction_id: interaction.id }, 'could not send the error reply');
    }
  }

  #log(
    interaction: ChatInputCommandInteraction,
    command: string,
    outcome: CommandOutcome,
    seconds: number,
    failure: unknown,
    span: Span,
  ): void {
    const fields = {
      command,
      outcome,
      duration_ms: Math.round(seconds * 1000),
      interaction_id: interaction.id,
      guild_id: interaction.guildId,
      user_id: interaction.user.id,
    };
    if (outcome === 'error') {
      this.options.logger.error({ ...fields, err: failure, error_ref: errorReference(span) }, 'command failed');
    } else if (failure instanceof UserError) {
      this.options.logger.info({ ...fields, user_error: failure.identifier, ...failure.context }, 'command refused');
    } else {
      this.options.logger.info(fields, 'command handled');
    }
  }
}
