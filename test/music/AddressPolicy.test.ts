import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAddress, classifyHostName } from '../../src/music/AddressPolicy.js';

describe('classifyAddress', () => {
  const cases: [string, ReturnType<typeof classifyAddress>][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
    ['::7f00:1', 'reserved'], // IPv4-compatible
    ['4000::1', 'reserved'], // outside global unicast
    ['not an address', 'reserved'],
  ];
  for (const [address, category] of cases) {
    it(`${address} is ${category}`, () => assert.equal(classifyAddress(address), category));
  }

  it('judges an IPv4-mapped or translated IPv6 address by the IPv4 address it carries', () => {
    assert.equal(classifyAddress('::ffff:127.0.0.1'), 'loopback');
    assert.equal(classifyAddress('::ffff:7f00:1'), 'loopback');
    assert.equal(classifyAddress('::ffff:10.0.0.1'), 'private');
    assert.equal(classifyAddress('::ffff:169.254.169.254'), 'metadata');
    assert.equal(classifyAddress('::ffff:0:192.168.1.1'), 'private');
    assert.equal(classifyAddress('::ffff:8.8.8.8'), null);
  });

  it('judges NAT64 and 6to4 addresses by their IPv4 address, so DNS64 answers for public hosts pass', () => {
    assert.equal(classifyAddress('64:ff9b::10.0.0.1'), 'private');
    assert.equal(classifyAddress('64:ff9b::169.254.169.254'), 'metadata');
    assert.equal(classifyAddress('64:ff9b::8.8.8.8'), null);
    assert.equal(classifyAddress('2002:7f00:1::'), 'loopback');
    assert.equal(classifyAddress('2002:808:808::1'), null);
  });

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450::1']) {
      assert.equal(classifyAddress(address), null, address);
    }
  });
});

describe('classifyHostName', () => {
  it('names cloud metadata hosts', () => {
    assert.equal(classifyHostName('metadata.google.internal'), 'metadata');
    assert.equal(classifyHostName('METADATA.GOOGLE.INTERNAL.'), 'metadata');
    assert.equal(classifyHostName('instance-data'), 'metadata');
  });

  it('refuses localhost, private-use suffixes and single-label names before resolving', () => {
    for (const name of [
      'localhost',
      'api.localhost',
      'printer.local',
      'db.internal',
      'nas.home.arpa',
      'redis',
      'x.lan',
    ]) {
      assert.equal(classifyHostName(name), 'local_name', name);
    }
  });

  it('leaves ordinary public names to the resolver', () => {
    for (const name of ['www.youtube.com', 'soundcloud.com', 'localhost.example.com', 'internal.example.org']) {
      assert.equal(classifyHostName(name), null, name);
    }
  });
});
