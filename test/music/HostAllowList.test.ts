import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostAllowList } from '../../src/music/HostAllowList.js';

describe('HostAllowList', () => {
  const list = HostAllowList.parse([
    'Media.Example.org',
    '*.cdn.example.net',
    '10.1.0.0/16',
    '192.168.1.5',
    '[::1]',
    'fd00::/8',
    'müsik.example',
  ]);

  it('allows exact host names, whatever their case or trailing dot', () => {
    assert.equal(list.allowsHost('media.example.org'), true);
    assert.equal(list.allowsHost('media.example.org.'), true);
    assert.equal(list.allowsHost('other.example.org'), false);
    assert.equal(list.allowsHost('evilmedia.example.org'), false);
  });

  it('allows subdomains for a wildcard entry, not the bare domain or look-alikes', () => {
    assert.equal(list.allowsHost('a.cdn.example.net'), true);
    assert.equal(list.allowsHost('a.b.cdn.example.net'), true);
    assert.equal(list.allowsHost('cdn.example.net'), false);
    assert.equal(list.allowsHost('evilcdn.example.net'), false);
  });

  it('compares international names in the punycode the URL parser produces', () => {
    assert.equal(list.allowsHost(new URL('https://müsik.example/').hostname), true);
  });

  it('allows addresses inside its networks, also when carried in IPv4-mapped IPv6', () => {
    assert.equal(list.allowsAddress('10.1.200.3'), true);
    assert.equal(list.allowsAddress('10.2.0.1'), false);
    assert.equal(list.allowsAddress('192.168.1.5'), true);
    assert.equal(list.allowsAddress('192.168.1.6'), false);
    assert.equal(list.allowsAddress('::1'), true);
    assert.equal(list.allowsAddress('[::1]'), true);
    assert.equal(list.allowsAddress('fd12::1'), true);
    assert.equal(list.allowsAddress('::ffff:10.1.0.9'), true);
    assert.equal(list.allowsAddress('garbage'), false);
  });

  it('refuses malformed entries with the entry in the message', () => {
    assert.throws(() => HostAllowList.parse(['10.0.0.0/40']), /10\.0\.0\.0\/40/);
    assert.throws(() => HostAllowList.parse(['bad host!']), /bad host!/);
    assert.throws(() => HostAllowList.parse(['']), RangeError);
  });

  it('is empty when given nothing', () => {
    assert.equal(HostAllowList.parse([]).isEmpty, true);
    assert.equal(HostAllowList.Empty.allowsHost('localhost'), false);
    assert.equal(list.isEmpty, false);
  });
});
