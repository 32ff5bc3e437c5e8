import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID_SPAN_CONTEXT, metrics, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import type { Interaction } from 'discord.js';
import pino from 'pino';
import { CommandThrottle } from '../../src/discord/CommandThrottle.js';
import type { Command, CommandContext } from '../../src/discord/commands/Command.js';
import type { ComponentHandler } from '../../src/discord/components/ComponentHandler.js';
import { errorReference, InteractionPipeline } from '../../src/discord/InteractionPipeline.js';
import { MusicError } from '../../src/music/MusicError.js';
import { Instruments } from '../../src/telemetry/Instruments.js';
import { InstrumentationScope } from '../../src/telemetry/TelemetryNames.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';

const telemetry = new InMemoryTelemetry();
const instruments = new Instruments(metrics.getMeter(InstrumentationScope));
const logger = pino({ level: 'silent' });

let nextId = 1;

/** What a fake interaction was answered with. */
interface Answers {
  replies: { content?: string; flags?: number }[];
  followUps: { content?: string; flags?: number }[];
  choices: unknown[][];
}

function base(answers: Answers) {
  const id = String(nextId++);
  return {
    id,
    user: { id: 'user-1' },
    channelId: 'channel-1',
    guildId: 'guild-1',
    guild: { shardId: 0 },
    deferred: false,
    replied: false,
    isChatInputCommand: () => false,
    isAutocomplete: () => false,
    isButton: () => false,
    isStringSelectMenu: () => false,
    async reply(options: { content?: string; flags?: number }) {
      answers.replies.push(options);
    },
    async followUp(options: { content?: string; flags?: number }) {
      answers.followUps.push(options);
    },
    async respond(choices: unknown[]) {
      answers.choices.push(choices);
    },
  };
}

function autocomplete(commandName: string, answers: Answers): Interaction {
  return { ...base(answers), commandName, isAutocomplete: () => true } as unknown as Interaction;
}

function button(customId: string, answers: Answers): Interaction {
  return { ...base(answers), customId, isButton: () => true } as unknown as Interaction;
}

function pipeline(commands: Command[], components: ComponentHandler[] = [], deadlineMs = 2_500, log = logger) {
  return new InteractionPipeline({
    commands,
    components,
    context: {} as CommandContext,
    instruments,
    logger: log,
    throttle: new CommandThrottle(0),
    autocompleteDeadlineMs: deadlineMs,
  });
}

function command(name: string, suggest: Command['autocomplete']): Command {
  return {
    data: { name, description: name },
    execute: async () => undefined,
    ...(suggest ? { autocomplete: suggest } : {}),
  };
}

const answers = (): Answers => ({ replies: [], followUps: [], choices: [] });

describe('InteractionPipeline', () => {
  describe('autocomplete', () => {
    it('GIVEN suggestions THEN responds with at most 25 of them under an `autocomplete <name>` span', async () => {
      const seen = answers();
      const many = Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }));
      await pipeline([command('play', async () => many)]).handle(autocomplete('play', seen));
      assert.equal(seen.choices[0]?.length, 25);
      const span = telemetry.spans('autocomplete play').at(-1);
      assert.equal(span?.attributes['metronome.outcome'], 'success');
    });

    it('GIVEN suggestions that fail THEN responds with none, never an error, and the span records the failure', async () => {
      const seen = answers();
      const failing = pipeline([
        command('play', async () => {
          throw new Error('lavalink down');
        }),
      ]);
      await failing.handle(autocomplete('play', seen));
      assert.deepEqual(seen.choices, [[]]);
      assert.equal(seen.replies.length, 0);
      const span = telemetry.spans('autocomplete play').at(-1);
      assert.equal(span?.attributes['metronome.outcome'], 'error');
      assert.equal(span?.status.code, SpanStatusCode.ERROR);
    });

    it('GIVEN suggestions slower than the deadline THEN responds with none in time', async () => {
      const seen = answers();
      const slow = pipeline([command('play', () => new Promise(() => undefined))], [], 20);
      await slow.handle(autocomplete('play', seen));
      assert.deepEqual(seen.choices, [[]]);
      assert.equal(telemetry.spans('autocomplete play').at(-1)?.attributes['error.type'], 'AutocompleteTimeoutError');
    });

    it('GIVEN a command without suggestions THEN responds with none under `autocomplete unknown`', async () => {
      const seen = answers();
      await pipeline([command('seek', undefined)]).handle(autocomplete('seek', seen));
      assert.deepEqual(seen.choices, [[]]);
      assert.ok(telemetry.spans('autocomplete unknown').length > 0);
    });

    it('is not counted as a command', async () => {
      assert.equal(await telemetry.total('metronome.command.duration', { command: 'play' }), 0);
    });
  });

  describe('components', () => {
    it('routes by custom id prefix and names span and metric by kind only', async () => {
      const seen = answers();
      let argument = '';
      const handler: ComponentHandler = {
        kind: 'queue',
        execute: async (_interaction, arg) => {
          argument = arg;
        },
      };
      await pipeline([], [handler]).handle(button('queue:3', seen));
      assert.equal(argument, '3');
      const span = telemetry.spans('component queue').at(-1);
      assert.equal(span?.attributes['discord.component.kind'], 'queue');
      assert.equal(
        await telemetry.total('metronome.command.duration', { command: 'component:queue', outcome: 'success' }),
        1,
      );
    });

    it('answers a MusicError like a UserError: ephemeral, its message, outcome user_error, span not an error', async () => {
      const seen = answers();
      const handler: ComponentHandler = {
        kind: 'np',
        execute: async () => {
          throw new MusicError('nothing.playing');
        },
      };
      await pipeline([], [handler]).handle(button('np:skip', seen));
      assert.deepEqual(
        seen.replies.map((r) => [r.content, r.flags]),
        [['Nothing is playing right now.', 64]],
      );
      const span = telemetry.spans('component np').at(-1);
      assert.equal(span?.attributes['metronome.outcome'], 'user_error');
      assert.equal(span?.status.code, SpanStatusCode.UNSET);
      assert.equal(
        await telemetry.total('metronome.command.duration', { command: 'component:np', outcome: 'user_error' }),
        1,
      );
    });

    it('GIVEN a refusal whose context has keys named like pino fields THEN logs the context nested under error_context', async () => {
      const lines: Record<string, unknown>[] = [];
      const capture = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
      const handler: ComponentHandler = {
        kind: 'np',
        execute: async () => {
          throw new MusicError('queue.full', { limit: 5, level: 'fatal', msg: 'spoofed', time: 0 });
        },
      };
      await pipeline([], [handler], 2_500, capture).handle(button('np:skip', answers()));
      const refused = lines.find((l) => l.msg === 'command refused');
      assert.ok(refused, 'a `command refused` line was written');
      assert.equal(refused.level, 30);
      assert.notEqual(refused.time, 0);
      assert.equal(refused.user_error, 'queue.full');
      assert.deepEqual(refused.error_context, { limit: 5, level: 'fatal', msg: 'spoofed', time: 0 });
      assert.equal(refused.limit, undefined, 'the context is not spread into the line');
    });

    it('GIVEN a refusal without context THEN the line has no error_context', async () => {
      const lines: Record<string, unknown>[] = [];
      const capture = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
      const handler: ComponentHandler = {
        kind: 'np',
        execute: async () => {
          throw new MusicError('nothing.playing');
        },
      };
      await pipeline([], [handler], 2_500, capture).handle(button('np:skip', answers()));
      const refused = lines.find((l) => l.msg === 'command refused');
      assert.equal(refused?.user_error, 'nothing.playing');
      assert.equal(Object.hasOwn(refused ?? {}, 'error_context'), false);
    });

    it('GIVEN a custom id no handler owns THEN answers component.unknown under `component unknown`', async () => {
      const seen = answers();
      await pipeline([]).handle(button('legacy-button', seen));
      assert.match(seen.replies[0]?.content ?? '', /no longer works/);
      assert.ok(telemetry.spans('component unknown').length > 0);
      assert.equal(
        telemetry.spans().some((s) => s.name.includes('legacy')),
        false,
        'user data never names a span',
      );
    });
  });
});

describe('errorReference', () => {
  it('is the start of the trace id when the span is traced', () => {
    const span = trace.wrapSpanContext({
      traceId: '3f9a2c41b7de4e0f8a1b2c3d4e5f6071',
      spanId: '1a2b3c4d5e6f7081',
      traceFlags: TraceFlags.SAMPLED,
    });
    assert.equal(errorReference(span), '3f9a2c41b7de');
  });

  it('GIVEN telemetry off (no trace id) THEN each failure still gets its own reference, the same in reply and log', () => {
    const first = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const second = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    assert.match(errorReference(first), /^[0-9a-f]{12}$/);
    assert.notEqual(errorReference(first), '000000000000');
    assert.equal(errorReference(first), errorReference(first));
    assert.notEqual(errorReference(first), errorReference(second));
  });
});
