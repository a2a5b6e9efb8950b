import { describe, expect, test } from 'vitest';
import { mergeIncident } from '../src/core/incident-merge.js';
import type { VendorIncident } from '../src/core/model.js';

function incident(overrides: Partial<VendorIncident> = {}): VendorIncident {
  return {
    vendor: '100ms',
    id: 'ww76zjqsj6j9',
    title: 'Recording failures',
    impact: 'major',
    status: 'investigating',
    kind: 'incident',
    startedAt: '2024-04-04T20:47:00.000Z',
    postedAt: '2024-04-04T20:58:00.000Z',
    updatedAt: '2024-04-04T20:58:00.000Z',
    resolvedAt: null,
    components: ['Recording'],
    regions: [],
    updates: [{ id: 'u1', at: '2024-04-04T20:58:00.000Z', status: 'investigating', body: 'Looking into it' }],
    url: null,
    ...overrides,
  };
}

describe('mergeIncident()', () => {
  test('a first sighting is new', () => {
    expect(mergeIncident(undefined, incident()).change).toBe('new');
  });

  test('the same incident again changes nothing', () => {
    expect(mergeIncident(incident(), incident()).change).toBeNull();
  });

  test('a new update is an update and every earlier update is kept', () => {
    const next = incident({
      status: 'identified',
      updatedAt: '2024-04-04T21:10:00.000Z',
      // Feeds and truncated pages drop old updates; we must not.
      updates: [{ id: 'u2', at: '2024-04-04T21:10:00.000Z', status: 'identified', body: 'Found it' }],
    });
    const { incident: merged, change } = mergeIncident(incident(), next);
    expect(change).toBe('updated');
    expect(merged.updates.map((u) => u.id)).toEqual(['u1', 'u2']);
  });

  test('resolution and reopening are told apart', () => {
    const resolved = incident({ status: 'resolved', resolvedAt: '2024-04-04T22:00:00.000Z' });
    expect(mergeIncident(incident(), resolved).change).toBe('resolved');
    expect(mergeIncident(resolved, incident({ status: 'investigating' })).change).toBe('reopened');
  });

  test('an edited update body replaces the old text under the same id', () => {
    const edited = incident({
      updates: [{ id: 'u1', at: '2024-04-04T20:58:00.000Z', status: 'investigating', body: 'Edited' }],
    });
    const { incident: merged, change } = mergeIncident(incident(), edited);
    expect(change).toBe('updated');
    expect(merged.updates).toHaveLength(1);
    expect(merged.updates[0]?.body).toBe('Edited');
  });

  test('a feed without impact or components keeps what JSON told us', () => {
    const fromFeed = incident({ impact: 'unknown', components: [] });
    const { incident: merged } = mergeIncident(incident(), fromFeed);
    expect(merged.impact).toBe('major');
    expect(merged.components).toEqual(['Recording']);
  });

  test('a backdated start is taken, but the first post time we saw is kept', () => {
    const backdated = incident({
      startedAt: '2024-04-04T20:30:00.000Z',
      postedAt: '2024-04-04T21:30:00.000Z',
    });
    const { incident: merged, change } = mergeIncident(incident(), backdated);
    expect(change).toBe('updated');
    expect(merged.startedAt).toBe('2024-04-04T20:30:00.000Z');
    expect(merged.postedAt).toBe('2024-04-04T20:58:00.000Z');
  });
});
