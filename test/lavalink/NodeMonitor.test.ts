import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import pino from 'pino';
import { Constants, type Node, type NodeOption, type Shoukaku } from 'shoukaku';
import { type FailoverTrigger, NodeMonitor } from '../../src/lavalink/NodeMonitor.js';

/** The part of a shoukaku Node the monitor reads: a name, a state, stats, and its events. */
class FakeNode extends EventEmitter {
  state: Constants.State = Constants.State.CONNECTING;
  stats: unknown = null;
  ws = null;
  constructor(readonly name: string) {
    super();
  }
  ready(resumed = false): void {
    this.state = Constants.State.CONNECTED;
    this.emit('ready', resumed, false);
  }
  close(): void {
    this.state = Constants.State.CONNECTING;
    this.emit('close', 1006, '');
  }
  /** What shoukaku 4.3 does after a round of reconnects: `disconnect`, and it forgets the node. */
  drop(): void {
    this.state = Constants.State.DISCONNECTED;
    this.emit('disconnect', 0);
  }
}

/** shoukaku's node bookkeeping: `addNode` creates a node, which is forgotten on `disconnect`. */
class FakeShoukaku extends EventEmitter {
  readonly nodes = new Map<string, FakeNode>();
  readonly added: FakeNode[] = [];
  readonly options = { reconnectTries: 3 };
  addNode(option: NodeOption): void {
    const node = new FakeNode(option.name);
    node.once('disconnect', () => this.nodes.delete(node.name));
    this.nodes.set(option.name, node);
    this.added.push(node);
  }
}

describe('NodeMonitor', () => {
  let shoukaku: FakeShoukaku;
  let monitor: NodeMonitor;
  let clock: number;
  let lost: [string, FailoverTrigger, number][];

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    clock = 1_000;
    shoukaku = new FakeShoukaku();
    monitor = new NodeMonitor({
      shoukaku: shoukaku as unknown as Shoukaku,
      nodes: [{ name: 'a', url: 'a:2333', auth: 'secret' }],
      logger: pino({ level: 'silent' }),
      now: () => clock,
      readdIntervalMs: 500,
      failoverAfterMs: 10_000,
    });
    lost = [];
    monitor.on('lost', (node, trigger, at) => lost.push([node.name, trigger, at]));
    monitor.start();
  });
  afterEach(() => {
    monitor.close();
    mock.timers.reset();
  });
  const current = () => shoukaku.added.at(-1)!;
  const status = () => monitor.nodes()[0]?.status;
  const usable = (node: FakeNode) => monitor.usable(node as unknown as Node);

  it('GIVEN a blip that resumes THEN nothing is lost', () => {
    current().ready();
    assert.equal(status(), 'connected');
    current().close();
    assert.equal(status(), 'reconnecting');
    assert.equal(usable(current()), false);
    current().ready(true);
    mock.timers.tick(20_000);
    assert.deepEqual(lost, []);
    assert.equal(status(), 'connected');
    assert.equal(usable(current()), true);
    assert.deepEqual(monitor.nodes()[0]?.events, {
      ready: 1,
      resumed: 1,
      close: 1,
      reconnecting: 0,
      disconnect: 0,
      error: 0,
    });
  });

  it('GIVEN the first reconnect fails THEN the players move at once, as of the close, and only once', () => {
    const first = current();
    first.ready();
    clock = 5_000;
    first.close();
    clock = 5_050;
    first.emit('reconnecting', 3, 0.05);
    first.emit('reconnecting', 2, 0.05);
    assert.deepEqual(lost, [['a', 'reconnect_failed', 5_000]]);
    assert.equal(status(), 'down');
    // shoukaku 4.3 may still let a later attempt through, then drops the node anyway: it is never used.
    first.ready(true);
    assert.equal(usable(first), false);
    first.drop();
    assert.deepEqual(lost.at(-1), ['a', 'disconnected', 5_000]);
    assert.equal(shoukaku.added.length, 1);
    mock.timers.tick(500);
    assert.equal(shoukaku.added.length, 2, 'added again');
    assert.equal(status(), 'connecting');
    const second = current();
    second.ready();
    assert.equal(status(), 'connected');
    assert.equal(usable(second), true);
    assert.deepEqual(monitor.usableNodes(), [second]);
  });

  it('keeps adding a node that stays down', () => {
    current().emit('reconnecting', 3, 0.05);
    current().drop();
    mock.timers.tick(500);
    current().emit('reconnecting', 3, 0.05);
    current().drop();
    mock.timers.tick(500);
    assert.equal(shoukaku.added.length, 3);
    assert.deepEqual(
      lost.map(([, trigger]) => trigger),
      ['disconnected', 'disconnected'],
    );
  });

  it('GIVEN a node that neither resumes nor fails THEN its players move after failoverAfterMs', () => {
    current().ready();
    current().close();
    mock.timers.tick(9_999);
    assert.deepEqual(lost, []);
    mock.timers.tick(1);
    assert.deepEqual(lost, [['a', 'stalled', 1_000]]);
    // It may still resume later, and is then usable again.
    current().ready(true);
    assert.equal(usable(current()), true);
  });

  it('GIVEN a node comes back with a new session THEN its players are lost with it', () => {
    current().ready();
    clock = 2_000;
    current().close();
    current().ready(false);
    assert.deepEqual(lost, [['a', 'session_lost', 2_000]]);
  });

  it('GIVEN it is closed THEN it stops shoukaku reconnecting and adds nothing again', () => {
    current().ready();
    monitor.close();
    assert.equal(shoukaku.options.reconnectTries, 0);
    current().close();
    current().drop();
    mock.timers.tick(60_000);
    assert.equal(shoukaku.added.length, 1);
  });

  it('reports gauges only for a connected node with stats', () => {
    assert.deepEqual(monitor.readings(), [{ name: 'a', up: false, stats: null }]);
    current().stats = {
      players: 3,
      playingPlayers: 2,
      memory: { used: 1024 },
      cpu: { systemLoad: 0.5, lavalinkLoad: 0.25 },
      frameStats: null,
    };
    current().ready();
    assert.deepEqual(monitor.readings(), [
      {
        name: 'a',
        up: true,
        stats: {
          players: 3,
          playingPlayers: 2,
          systemLoad: 0.5,
          lavalinkLoad: 0.25,
          memoryUsed: 1024,
          frames: { sent: 0, nulled: 0, deficit: 0 },
        },
      },
    ]);
  });
});
