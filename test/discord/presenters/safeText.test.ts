import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkedTitle, safeText, safeUrl, truncate } from '../../../src/discord/presenters/safeText.js';

describe('safeText', () => {
  it('escapes every markdown character', () => {
    assert.equal(
      safeText('**bold** _it_ `code` ~~s~~ ||sp||'),
      '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|sp\\|\\|',
    );
    assert.equal(safeText('# Huge'), '\\# Huge');
    assert.equal(safeText('- item'), '\\- item');
    assert.equal(safeText('> quote'), '\\> quote');
    assert.equal(safeText('back\\slash'), 'back\\\\slash');
  });

  it('escapes runs of asterisks completely (escapeMarkdown leaves some)', () => {
    assert.equal(safeText('*********'), '\\*'.repeat(9));
  });

  it('defuses masked links and brackets that would close the link a title sits in', () => {
    assert.equal(safeText('[click](https://evil.example)'), '\\[click\\](https://evil.example)');
    assert.equal(safeText('a ] b'), 'a \\] b');
  });

  it('defuses mentions', () => {
    assert.equal(safeText('@everyone'), '@\u200beveryone');
    assert.equal(safeText('<@123> <#789>'), '\\<@\u200b123\\> \\<\\#789\\>');
  });

  it('collapses whitespace and line breaks so a title stays on its line', () => {
    assert.equal(safeText('  a\n\nb\t c '), 'a b c');
  });

  it('cuts before escaping, so an escape is never cut in half', () => {
    assert.equal(safeText('*'.repeat(20), 10), `${'\\*'.repeat(9)}…`);
  });
});

describe('truncate', () => {
  it('keeps short text and cuts long text with an ellipsis to the limit', () => {
    assert.equal(truncate('hello', 5), 'hello');
    assert.equal(truncate('hello world', 6), 'hello…');
    assert.equal(truncate('hello world', 6).length, 6);
  });

  it('never splits a surrogate pair', () => {
    assert.equal(truncate('ab😀cd', 4), 'ab…');
  });
});

describe('safeUrl and linkedTitle', () => {
  it('accepts http(s) only and encodes parentheses', () => {
    assert.equal(safeUrl('https://x.example/a_(b)'), 'https://x.example/a_%28b%29');
    assert.equal(safeUrl('javascript:alert(1)'), null);
    assert.equal(safeUrl('not a url'), null);
    assert.equal(safeUrl(null), null);
  });

  it('links the escaped title when there is a usable link', () => {
    assert.equal(linkedTitle({ title: 'Song *1*', uri: 'https://x.example/1' }), '[Song \\*1\\*](https://x.example/1)');
    assert.equal(linkedTitle({ title: 'Song', uri: null }), 'Song');
    assert.equal(linkedTitle({ title: '', uri: null }), 'Untitled');
  });
});
