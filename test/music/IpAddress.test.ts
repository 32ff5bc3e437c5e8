import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIp, networkContains, parseIp, parseNetwork } from '../../src/music/IpAddress.js';

const ip = (text: string) => {
  const parsed = parseIp(text);
  assert.ok(parsed, text);
  return parsed;
};

describe('parseIp', () => {
  it('parses dotted-decimal IPv4', () => {
    assert.deepEqual(ip('192.168.1.20'), { version: 4, bytes: Uint8Array.from([192, 168, 1, 20]) });
  });

  it('parses every IPv6 spelling to the same sixteen bytes', () => {
    const loopback = formatIp(ip('::1'));
    assert.equal(loopback, '0:0:0:0:0:0:0:1');
    for (const text of ['0:0:0:0:0:0:0:1', '[::1]', '::0:1', '0::1']) assert.equal(formatIp(ip(text)), loopback, text);
    assert.equal(formatIp(ip('fe80::1%eth0')), 'fe80:0:0:0:0:0:0:1');
    assert.equal(formatIp(ip('::ffff:127.0.0.1')), '0:0:0:0:0:ffff:7f00:1');
    assert.equal(formatIp(ip('2001:db8::')), '2001:db8:0:0:0:0:0:0');
    assert.equal(formatIp(ip('::')), '0:0:0:0:0:0:0:0');
  });

  it('returns null for names and for IPv4 notations only the URL parser understands', () => {
    for (const text of ['example.com', '2130706433', '0177.0.0.1', '0x7f.1', '127.1', '1.2.3.256', '', '[::1']) {
      assert.equal(parseIp(text), null, text);
    }
  });
});

describe('parseNetwork and networkContains', () => {
  const inside = (cidr: string, address: string) => {
    const network = parseNetwork(cidr);
    assert.ok(network, cidr);
    return networkContains(network, ip(address));
  };

  it('matches whole and partial prefix bytes', () => {
    assert.equal(inside('172.16.0.0/12', '172.31.255.255'), true);
    assert.equal(inside('172.16.0.0/12', '172.32.0.0'), false);
    assert.equal(inside('100.64.0.0/10', '100.127.0.1'), true);
    assert.equal(inside('100.64.0.0/10', '100.128.0.1'), false);
    assert.equal(inside('fc00::/7', 'fdff::1'), true);
    assert.equal(inside('fe80::/10', 'febf::1'), true);
    assert.equal(inside('fe80::/10', 'fec0::1'), false);
    assert.equal(inside('0.0.0.0/0', '8.8.8.8'), true);
  });

  it('treats a bare address as a network of one', () => {
    assert.equal(inside('10.0.0.5', '10.0.0.5'), true);
    assert.equal(inside('10.0.0.5', '10.0.0.6'), false);
  });

  it('never matches across IP versions', () => {
    assert.equal(inside('0.0.0.0/0', '::1'), false);
  });

  it('refuses malformed networks', () => {
    for (const text of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', 'example.com/8', '10.0.0.0/-1']) {
      assert.equal(parseNetwork(text), null, text);
    }
  });
});
