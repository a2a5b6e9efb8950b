import { describe, expect, it } from 'vitest';
import { parseIncidents, parseSummary } from '../providers/statuspage.js';
import { FetchError } from '../src/core/errors.js';
import { createTextCache, sameJson } from '../src/core/memo.js';

const at = (minute: number) => new Date(Date.parse('2026-08-01T00:00:00Z') + minute * 60_000).toISOString();

function incident(id: string, minute: number, body = 'We are investigating.') {
  return {
    id,
    name: `Incident ${id}`,
    status: 'investigating',
    impact: 'minor',
    created_at: at(minute),
    updated_at: at(minute),
    incident_updates: [{ id: `${id}-u1`, status: 'investigating', body, created_at: at(minute) }],
    components: [{ name: 'API' }],
  };
}

const page = (incidents: unknown[]) =>
  JSON.stringify({ page: { id: 'abc', url: 'https://status.example.com' }, incidents });

function parseError(read: () => unknown): FetchError {
  try {
    read();
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('parseIncidents() read poll after poll', () => {
  it('reads an incident that changed anew and gives the others as the first read gave them', () => {
    const first = parseIncidents(page([incident('a', 0), incident('b', 1)]), 'reread-1');
    const next = parseIncidents(
      page([incident('a', 0), incident('b', 1, 'Fixed in <b>us-east-1</b>.')]),
      'reread-1',
    );
    expect(next[0]).toEqual(first[0]);
    expect(next[1]!.updates[0]!.body).toBe('Fixed in us-east-1.');
    expect(next[1]!.updates[0]!.html).toBe('Fixed in <b>us-east-1</b>.');
  });

  it('gives the caller objects of its own: changing one read does not change the next', () => {
    const body = page([incident('a', 0)]);
    const first = parseIncidents(body, 'reread-2');
    first[0]!.title = 'changed by the caller';
    first[0]!.updates[0]!.body = 'changed too';
    first[0]!.components.push('Extra');
    const again = parseIncidents(body, 'reread-2');
    expect(again[0]!.title).toBe('Incident a');
    expect(again[0]!.updates[0]!.body).toBe('We are investigating.');
    expect(again[0]!.components).toEqual(['API']);
  });

  it('reports an incident that stopped validating as reading the whole page would', () => {
    parseIncidents(page([incident('a', 0), incident('b', 1)]), 'reread-3');
    const broken = { ...incident('b', 1), status: 5 };
    const error = parseError(() => parseIncidents(page([incident('a', 0), broken]), 'reread-3'));
    expect(error.kind).toBe('parse');
    expect(error.message).toBe('incidents.json: incidents[1].status: expected string, received number');
  });

  it('keeps vendors apart: the same incident under another vendor is that vendor’s', () => {
    const body = page([incident('a', 0)]);
    expect(parseIncidents(body, 'reread-4a')[0]!.vendor).toBe('reread-4a');
    expect(parseIncidents(body, 'reread-4b')[0]!.vendor).toBe('reread-4b');
  });

  it('builds links from the page URL the body gives, when it changes between reads', () => {
    const item = { ...incident('a', 0), shortlink: null };
    const body = (url: string) => JSON.stringify({ page: { url }, incidents: [item] });
    expect(parseIncidents(body('https://one.example.com'), 'reread-5')[0]!.url).toBe(
      'https://one.example.com/incidents/a',
    );
    expect(parseIncidents(body('https://two.example.com'), 'reread-5')[0]!.url).toBe(
      'https://two.example.com/incidents/a',
    );
  });

  it('parseSummary() gives the same incidents and status on a second read of the same body', () => {
    const body = JSON.stringify({
      page: { id: 'abc', url: 'https://status.example.com' },
      status: { indicator: 'minor', description: 'Minor' },
      components: [{ id: 'c1', name: 'API', status: 'degraded_performance' }],
      incidents: [incident('a', 0)],
      scheduled_maintenances: [],
    });
    const now = new Date(at(5));
    const first = parseSummary(body, 'reread-6', now);
    expect(parseSummary(body, 'reread-6', now)).toEqual(first);
    expect(parseSummary(body, 'reread-6', new Date(at(6))).status.fetchedAt).toBe(at(6));
  });
});

describe('sameJson', () => {
  it('compares decoded JSON by value, object keys in order', () => {
    expect(
      sameJson(JSON.parse('{"a":[1,"x",null,{"b":true}]}'), JSON.parse('{"a":[1,"x",null,{"b":true}]}')),
    ).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson({ a: null }, { a: 0 })).toBe(false);
  });

  it('answers false past its depth limit instead of recursing on', () => {
    const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);
    expect(sameJson(deep(10), deep(10))).toBe(true);
    expect(sameJson(deep(5000), deep(5000))).toBe(false);
  });
});

describe('createTextCache', () => {
  it('weighs values against the character limit and replaces a key set again', () => {
    const cache = createTextCache<string>({
      maxEntries: 10,
      maxChars: 12,
      maxKeyChars: 10,
      weigh: (v) => v.length,
    });
    cache.set('a', 'xxxxx'); // 6
    cache.set('b', 'yyyyy'); // 12
    cache.set('a', 'zz'); // replaces a: 9
    expect(cache.get('a')).toBe('zz');
    cache.set('c', 'www'); // 13: b, the least recently used, goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe('www');
    cache.set('d', 'x'.repeat(20)); // heavier than the limit: never kept
    expect(cache.get('d')).toBeUndefined();
    expect(cache.get('a')).toBe('zz');
  });
});
