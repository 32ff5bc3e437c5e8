import { randomBytes } from 'node:crypto';
import { type Attributes, isSpanContextValid, type Span, SpanKind } from '@opentelemetry/api';
import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  Interaction,
} from 'discord.js';
import { MusicError } from '../music/MusicError.js';
import type { Instruments } from '../telemetry/Instruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { endSpan, tracer } from '../telemetry/spans.js';
import { AttributeNames, CommandMetricNames, type CommandOutcome, SpanNames } from '../telemetry/TelemetryNames.js';
import { withTimeout } from '../util/withTimeout.js';
import type { CommandThrottle } from './CommandThrottle.js';
import type { Command, CommandContext } from './commands/Command.js';
import { type ComponentHandler, type ComponentInteraction, parseCustomId } from './components/ComponentHandler.js';
import { UserError } from './errors/UserError.js';
import { outageMessage, replyWithError } from './replyWithError.js';

/** What the pipeline needs, injected by the composition root. */
export interface InteractionPipelineOptions {
  readonly commands: readonly Command[];
  /** Button and select menu handlers, by custom id prefix. */
  readonly components: readonly ComponentHandler[];
  readonly context: CommandContext;
  readonly instruments: Instruments;
  readonly logger: Logger;
  readonly throttle: CommandThrottle;
  /** How long autocomplete may take before answering with no suggestions (Discord allows 3 s in all). */
  readonly autocompleteDeadlineMs?: number;
}

/** Default of {@link InteractionPipelineOptions.autocompleteDeadlineMs}: leaves half a second for the response. */
export const DefaultAutocompleteDeadlineMs = 2_500;

/** References of spans without a trace id (telemetry off), so the reply and the log line of one failure agree. */
const untracedReferences = new WeakMap<Span, string>();

/**
 * The short reference users quote to operators: the start of the trace id, enough to find it in logs. With telemetry
 * off every span has the all-zero trace id, so the span gets a random reference of the same shape instead.
 */
export function errorReference(span: Span): string {
  const context = span.spanContext();
  if (isSpanContextValid(context)) return context.traceId.slice(0, 12);
  let reference = untracedReferences.get(span);
  if (!reference) {
    reference = randomBytes(6).toString('hex');
    untracedReferences.set(span, reference);
  }
  return reference;
}

/** An expected refusal: the pipeline's `UserError` or the music domain's `MusicError`. */
export function isUserFacing(error: unknown): error is UserError | MusicError {
  return error instanceof UserError || error instanceof MusicError;
}

/** How one interaction is named in its span, metric and log. Only registered names: never user text. */
interface Labels {
  readonly spanName: string;
  /** The `command` value of `metronome.command.duration`. */
  readonly metricName: string;
  readonly attributes: Attributes;
}

type Repliable = ChatInputCommandInteraction | ComponentInteraction;

/**
 * The one boundary every interaction passes through. Slash commands and components (buttons, select menus) get a
 * SERVER span (`command <name>`, `component <kind>`) with the interaction's ids, the throttle,
 * `metronome.command.duration` with the outcome, a friendly reply on failure carrying a trace reference, and one log
 * line. Autocomplete gets a span (`autocomplete <name>`) and always an answer, never an error or a throttle.
 * Handlers stay short translators because everything cross-cutting lives here.
 */
export class InteractionPipeline {
  readonly #commands: Map<string, Command>;
  readonly #components: Map<string, ComponentHandler>;
  readonly #inFlight = new Set<Promise<void>>();
  #accepting = true;

  constructor(private readonly options: InteractionPipelineOptions) {
    this.#commands = new Map(options.commands.map((c) => [c.data.name, c]));
    this.#components = new Map(options.components.map((c) => [c.kind, c]));
  }

  /** Number of interactions being handled now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Entry point for `interactionCreate`. Never rejects: every failure is handled here. */
  handle(interaction: Interaction): Promise<void> {
    const run = this.#dispatch(interaction);
    if (!run) return Promise.resolve();
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
    return run;
  }

  /** Stops accepting interactions and waits up to `timeoutMs` for those in flight. True when all finished. */
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

  #dispatch(interaction: Interaction): Promise<void> | undefined {
    if (interaction.isChatInputCommand()) return this.#command(interaction);
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (interaction.isButton() || interaction.isStringSelectMenu()) return this.#component(interaction);
    return undefined;
  }

  #command(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = this.#commands.get(interaction.commandName);
    const name = command ? interaction.commandName : 'unknown';
    const labels: Labels = {
      spanName: SpanNames.command(name),
      metricName: name,
      attributes: { [AttributeNames.DiscordCommandName]: name },
    };
    return this.#guarded(interaction, labels, async () => {
      if (!command) throw new UserError('command.unknown', { name: interaction.commandName.slice(0, 32) });
      this.#takeBudget(interaction);
      await command.execute(interaction, this.options.context);
    });
  }

  #component(interaction: ComponentInteraction): Promise<void> {
    const { kind, argument } = parseCustomId(interaction.customId);
    const handler = this.#components.get(kind);
    const label = handler ? kind : 'unknown';
    const labels: Labels = {
      spanName: SpanNames.component(label),
      metricName: CommandMetricNames.component(label),
      attributes: { [AttributeNames.DiscordComponentKind]: label },
    };
    return this.#guarded(interaction, labels, async () => {
      if (!handler) throw new UserError('component.unknown', { kind: kind.slice(0, 32) });
      this.#takeBudget(interaction);
      await handler.execute(interaction, argument, this.options.context);
    });
  }

  /** Runs `work` inside the span, metric, error reply and log of one interaction. */
  async #guarded(interaction: Repliable, labels: Labels, work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    const attributes = { ...interactionAttributes(interaction), ...labels.attributes };
    await tracer().startActiveSpan(labels.spanName, { kind: SpanKind.SERVER, attributes }, async (span) => {
      let outcome: CommandOutcome = 'success';
      let failure: unknown;
      try {
        if (!this.#accepting) throw new UserError('bot.restarting');
        await work();
      } catch (error) {
        failure = error;
        outcome = isThrottled(error) ? 'throttled' : isUserFacing(error) ? 'user_error' : 'error';
        const reason = isUserFacing(error) ? error.message : outageMessage(error, errorReference(span));
        await replyWithError(interaction, reason, errorReference(span), this.options.logger);
      } finally {
        const seconds = (performance.now() - started) / 1000;
        span.setAttribute(AttributeNames.MetronomeOutcome, outcome);
        this.options.instruments.commandDuration.record(seconds, {
          [AttributeNames.Command]: labels.metricName,
          [AttributeNames.Outcome]: outcome,
        });
        this.#log(interaction, labels.metricName, outcome, seconds, failure, span);
        // User errors are expected: the span stays OK so tail sampling keeps only real failures as errors.
        endSpan(span, outcome === 'error' ? failure : undefined);
      }
    });
  }

  /** Takes one command from the member's budget; unknown commands never reach here, so they cost nothing. */
  #takeBudget(interaction: Repliable): void {
    // The guild's own limit (`/settings throttle`) applies to commands sent in it.
    if (this.options.throttle.take(interaction.user.id, interaction.guildId)) return;
    this.options.instruments.automationActions.add(1, {
      [AttributeNames.Action]: 'command_throttled',
      [AttributeNames.Outcome]: 'applied',
    });
    throw new UserError('command.throttled');
  }

  /**
   * Autocomplete: suggestions within the deadline, or none. No throttle (every keystroke is one) and no command
   * metric (keystrokes would drown the command SLO); the span and a debug log line show what happened.
   */
  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.#commands.get(interaction.commandName);
    const name = command?.autocomplete ? interaction.commandName : 'unknown';
    const attributes = { ...interactionAttributes(interaction), [AttributeNames.DiscordCommandName]: name };
    const spanName = SpanNames.autocomplete(name);
    await tracer().startActiveSpan(spanName, { kind: SpanKind.SERVER, attributes }, async (span) => {
      const started = performance.now();
      let outcome: CommandOutcome = 'success';
      let failure: unknown;
      let choices: readonly ApplicationCommandOptionChoiceData<string>[] = [];
      try {
        if (this.#accepting && command?.autocomplete) {
          const deadlineMs = this.options.autocompleteDeadlineMs ?? DefaultAutocompleteDeadlineMs;
          choices = await withTimeout(
            command.autocomplete(interaction, this.options.context),
            deadlineMs,
            () => new AutocompleteTimeoutError(deadlineMs),
          );
        }
      } catch (error) {
        failure = error;
        outcome = isUserFacing(error) ? 'user_error' : 'error';
      }
      try {
        await interaction.respond(choices.slice(0, 25));
      } catch (respondError) {
        failure ??= respondError;
        outcome = 'error';
      }
      span.setAttribute(AttributeNames.MetronomeOutcome, outcome);
      const fields = {
        command: name,
        outcome,
        choices: choices.length,
        duration_ms: Math.round(performance.now() - started),
        interaction_id: interaction.id,
      };
      if (outcome === 'error') {
        this.options.logger.warn({ ...fields, err: failure, error_ref: errorReference(span) }, 'autocomplete failed');
      } else {
        this.options.logger.debug(fields, 'autocomplete handled');
      }
      endSpan(span, outcome === 'error' ? failure : undefined);
    });
  }

  #log(
    interaction: Repliable,
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
    } else if (isUserFacing(failure)) {
      // Nested, not spread: a context key such as `level`, `msg` or `time` would otherwise overwrite pino's own.
      const errorContext = Object.keys(failure.context).length > 0 ? { error_context: failure.context } : {};
      this.options.logger.info({ ...fields, user_error: failure.identifier, ...errorContext }, 'command refused');
    } else {
      this.options.logger.info(fields, 'command handled');
    }
  }
}

/** The span attributes every interaction carries: ids belong on spans, never on metrics. */
function interactionAttributes(interaction: Interaction): Attributes {
  return {
    [AttributeNames.DiscordInteractionId]: interaction.id,
    [AttributeNames.DiscordUserId]: interaction.user.id,
    ...(interaction.channelId ? { [AttributeNames.DiscordChannelId]: interaction.channelId } : {}),
    [AttributeNames.DiscordShardId]: interaction.guild?.shardId ?? 0,
    ...(interaction.guildId ? { [AttributeNames.DiscordGuildId]: interaction.guildId } : {}),
  };
}

function isThrottled(error: unknown): boolean {
  return error instanceof UserError && error.identifier === 'command.throttled';
}

/** Autocomplete suggestions took longer than the deadline; the member saw no suggestions. */
export class AutocompleteTimeoutError extends Error {
  override readonly name = 'AutocompleteTimeoutError';

  constructor(readonly deadlineMs: number) {
    super(`autocomplete took longer than ${deadlineMs} ms`);
  }
}
