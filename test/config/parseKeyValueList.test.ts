import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeyValueList } from '../../src/config/parseKeyValueList.js';

describe('parseKeyValueList', () => {
  it('reads comma-separated pairs, trimming whitespace and skipping empty entries', () => {
    assert.deepEqual(parseKeyValueList(' a=1 , b = 2 ,,'), { a: '1', b: '2' });
  });

  it('percent-decodes keys and values and keeps = inside values', () => {
    assert.deepEqual(parseKeyValueList('auth=Basic%20YWJj%3D,x=a=b'), { auth: 'Basic YWJj=', x: 'a=b' });
  });

  it('reads an empty list as no pairs', () => {
    assert.deepEqual(parseKeyValueList(''), {});
  });

  it('rejects an entry without a key, naming its position but not its text', () => {
    assert.throws(() => parseKeyValueList('a=1,secretvalue'), { message: 'entry 2 is not a key=value pair' });
    assert.throws(() => parseKeyValueList('=x'), TypeError);
    assert.throws(() => parseKeyValueList('a=%E0%A4%A'), { message: 'entry 1 has a broken percent-encoding' });
  });
});
