import { describe, expect, test } from 'vitest';
import {
  matchComponents,
  normalizeComponentName,
  type ComponentRef,
} from '../src/core/components/components.js';
import { hasSharedFixtures, listShared, readShared } from './support/fixtures.js';

const names = (matches: { name: string }[]) => matches.map((m) => m.name);

describe('normalizeComponentName()', () => {
  test('case, punctuation, "&" and plurals fold; parenthesized parts are kept apart', () => {
    expect(normalizeComponentName('Recording & Streaming (EU)')).toEqual({
      key: 'recording and streaming',
      words: ['recording', 'and', 'streaming'],
      qualifiers: ['EU'],
    });
    expect(normalizeComponentName('REST APIs').key).toBe(normalizeComponentName('Rest Api').key);
    expect(normalizeComponentName('Europe / Düsseldorf, Germany - (DUS)')).toMatchObject({
      key: 'europe dusseldorf germany',
      qualifiers: ['DUS'],
    });
    expect(normalizeComponentName('Text-to-Speech').words).toEqual(['text', 'to', 'speech']);
    // Three-letter words keep their "s": SMS is not a plural.
    expect(normalizeComponentName('SMS, Europe').words).toEqual(['sms', 'europe']);
  });
});

describe('matchComponents()', () => {
  const video = [
    'Recording & Streaming (EU)',
    'Recording & Streaming (US)',
    'Rapid Rooms',
    'Room API',
    'RTMP Ingest',
  ];

  test('"Recording" matches "Recording & Streaming (EU)" by its words', () => {
    expect(matchComponents(video, ['Recording'])).toEqual([
      { name: 'Recording & Streaming (EU)', group: null, pattern: 'Recording', how: 'words' },
      { name: 'Recording & Streaming (US)', group: null, pattern: 'Recording', how: 'words' },
    ]);
  });

  test('"RTMP Streaming" needs both words, so it matches no component that lacks "RTMP"', () => {
    expect(matchComponents(video, ['RTMP Streaming'])).toEqual([]);
  });

  test('a wanted qualifier must be among the component\'s: "Recording (EU)" misses the US one', () => {
    expect(names(matchComponents(video, ['recording and streaming (eu)']))).toEqual([
      'Recording & Streaming (EU)',
    ]);
  });

  test('"API" is a word: it matches "Room API", never "Rapid Rooms"', () => {
    expect(names(matchComponents(video, ['API']))).toEqual(['Room API']);
    expect(names(matchComponents(video, ['api']))).toEqual(['Room API']);
  });

  test('a component matched by several patterns reports the best one', () => {
    expect(matchComponents(['Room API'], ['API', 'room api'])).toEqual([
      { name: 'Room API', group: null, pattern: 'room api', how: 'exact' },
    ]);
  });

  test('stactus "group / name" strings split into group and name', () => {
    const zoom = [
      'Zoom Meetings / Recording',
      'Zoom Meetings / Zoom Meetings',
      'Zoom Phone / Call Recording',
    ];
    expect(matchComponents(zoom, ['Zoom Meetings / Recording'])).toEqual([
      { name: 'Recording', group: 'Zoom Meetings', pattern: 'Zoom Meetings / Recording', how: 'exact' },
    ]);
    expect(names(matchComponents(zoom, ['Recording']))).toEqual(['Recording', 'Call Recording']);
    expect(matchComponents(zoom, ['zoom phone']).map((m) => [m.name, m.how])).toEqual([
      ['Call Recording', 'group'],
    ]);
  });

  test('nothing wanted, nothing matched', () => {
    expect(matchComponents(video, [])).toEqual([]);
    expect(matchComponents(video, ['&'])).toEqual([]);
  });
});

async function twilioComponents(): Promise<ComponentRef[]> {
  const summary = JSON.parse(await readShared('real/statuspage/twilio_summary_2020-06-16.json')) as {
    components: { id: string; name: string; group_id: string | null }[];
  };
  const byId = new Map(summary.components.map((c) => [c.id, c.name]));
  return summary.components.map((c) => ({
    name: c.name,
    group: c.group_id ? (byId.get(c.group_id) ?? null) : null,
  }));
}

describe.skipIf(!hasSharedFixtures)('matchComponents() on real component names', () => {
  test('Twilio: the glob "SMS*" matches every SMS component, regional ones included', async () => {
    const matched = matchComponents(await twilioComponents(), ['SMS*']);
    expect(names(matched)).toContain('SMS, Europe');
    expect(names(matched)).toContain('SMS, Middle East & Africa');
    expect(names(matched)).toContain('SMS');
    expect(names(matched)).not.toContain('MMS');
    expect(matched.every((m) => m.name.startsWith('SMS') && m.how === 'glob')).toBe(true);
  });

  test('Twilio: the group "PROGRAMMABLE MESSAGING" matches its members', async () => {
    const matched = matchComponents(await twilioComponents(), ['Programmable Messaging']);
    expect(matched.filter((m) => m.how === 'group').map((m) => m.name)).toEqual([
      'MMS',
      'SMS',
      'SMPP',
      'Channels',
      'Notify',
      'Conversations',
    ]);
    expect(matched.filter((m) => m.how !== 'group')).toEqual([
      { name: 'PROGRAMMABLE MESSAGING', group: null, pattern: 'Programmable Messaging', how: 'exact' },
    ]);
  });

  test('Twilio: "API" finds REST API; "Voice, Europe" is found however it is punctuated', async () => {
    const components = await twilioComponents();
    expect(names(matchComponents(components, ['API']))).toEqual(['REST API']);
    expect(matchComponents(components, ['voice europe'])).toEqual([
      { name: 'Voice, Europe', group: 'CARRIER NETWORK', pattern: 'voice europe', how: 'exact' },
    ]);
  });

  test('stactus: Cloudflare PoPs match by code qualifier and by region group; Claude by host', async () => {
    const all = new Set<string>();
    for (const file of (await listShared('real/stactus')).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of (await readShared(`real/stactus/${file}`)).split('\n').slice(1)) {
        if (!line.trim()) continue;
        for (const c of (JSON.parse(line) as { components?: { name: string }[] }).components ?? [])
          all.add(c.name);
      }
    }
    const components = [...all];
    // Cloudflare's "(FRA)" qualifier and two other pages' names that say FRA as a word.
    expect(names(matchComponents(components, ['FRA']))).toEqual([
      'Frankfurt, Germany - (FRA)',
      'FRA - Frankfurt, Germany',
      'Management Plane - FRA',
    ]);
    // Every PoP under Cloudflare's "Europe" group, as members; other pages' names that say Europe by words.
    const europe = matchComponents(components, ['Europe']);
    const pops = components.filter((c) => c.startsWith('Europe / '));
    expect(pops.length).toBeGreaterThan(20);
    expect(europe.filter((m) => m.group === 'Europe').map((m) => `Europe / ${m.name}`)).toEqual(pops);
    expect(europe.every((m) => (m.group === 'Europe' ? m.how === 'group' : /europe/i.test(m.name)))).toBe(
      true,
    );
    expect(names(matchComponents(components, ['api.anthropic.com']))).toEqual([
      'Claude API (api.anthropic.com)',
    ]);
    expect(names(matchComponents(components, ['Cloudflare Sites and Services / CDN*']))).toEqual([
      'CDN/Cache',
      'CDN Cache Purge',
    ]);
  });
});
