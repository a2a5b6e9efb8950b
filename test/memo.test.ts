import { describe, expect, test } from 'vitest';
import { memoByText } from '../src/core/memo.js';

describe('memoByText', () => {
  test('computes each text once while it is kept', () => {
    const calls: string[] = [];
    const upper = memoByText(
      (text) => {
        calls.push(text);
        return text.toUpperCase();
      },
      { maxEntries: 10, maxChars: 1000, maxKeyChars: 100 },
    );
    expect([upper('a'), upper('b'), upper('a'), upper('b')]).toEqual(['A', 'B', 'A', 'B']);
    expect(calls).toEqual(['a', 'b']);
  });

  test('drops the least recently used text past the entry limit', () => {
    const calls: string[] = [];
    const same = memoByText(
      (text) => {
        calls.push(text);
        return text;
      },
      { maxEntries: 2, maxChars: 1000, maxKeyChars: 100 },
    );
    same('a');
    same('b');
    same('a'); // a is now the most recent
    same('c'); // b goes
    same('a');
    same('b');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  test('keeps no more characters than allowed and never keeps an over-long text', () => {
    const calls: string[] = [];
    const length = memoByText(
      (text) => {
        calls.push(text);
        return text.length;
      },
      { maxEntries: 100, maxChars: 10, maxKeyChars: 6 },
    );
    const long = 'x'.repeat(7);
    expect([length(long), length(long)]).toEqual([7, 7]);
    length('aaaaa');
    length('bbbbb');
    length('ccccc'); // 15 characters: aaaaa goes
    length('bbbbb');
    length('aaaaa');
    expect(calls).toEqual([long, long, 'aaaaa', 'bbbbb', 'ccccc', 'aaaaa']);
  });

  test('keeps a null or false result like any other', () => {
    let calls = 0;
    const nothing = memoByText(
      () => {
        calls += 1;
        return null;
      },
      { maxEntries: 10, maxChars: 100, maxKeyChars: 10 },
    );
    expect([nothing('a'), nothing('a')]).toEqual([null, null]);
    expect(calls).toBe(1);
  });
});
