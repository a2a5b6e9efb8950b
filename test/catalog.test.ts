import { describe, expect, test } from 'vitest';
import {
  catalog,
  catalogCategories,
  catalogRows,
  loadCatalog,
  type CatalogEntry,
} from '../providers/catalog.js';
import { providers } from '../providers/registry.js';

// The platform ids the catalog may use (fixed by the provider conventions).
const platformIds = [
  'statuspage',
  'incidentio',
  'instatus',
  'betterstack',
  'statusio',
  'cachet',
  'statuspal',
  'gcp',
  'aws',
  'aws-rss',
  'azure',
  'slack',
  'stripe',
  'rss',
  'html',
  'statuspage-html',
];

const entries = [...loadCatalog(catalogRows, platformIds).values()];
const row = (id: string): Record<string, unknown> => {
  const found = catalogRows.find((r) => (r as { id?: string }).id === id);
  if (!found) throw new Error(`no catalog row "${id}"`);
  return structuredClone(found) as Record<string, unknown>;
};

describe('catalog', () => {
  test('the shipped catalog loads with at least 150 vendors, one per id', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(entries.length).toBe(catalogRows.length);
    expect(catalog.size).toBe(catalogRows.length);
  });

  test('every entry names one of the fixed platform ids', () => {
    const unknown = entries.filter((e) => !platformIds.includes(e.provider)).map((e) => e.id);
    expect(unknown).toEqual([]);
  });

  test('a duplicate id fails the boot with a message naming the id', () => {
    expect(() => loadCatalog([row('twilio'), row('github'), row('twilio')])).toThrow(
      /catalog\[2\]: duplicate vendor id "twilio"/,
    );
  });

  test('an invalid entry fails naming its index and the bad field', () => {
    const badCategory = { ...row('github'), id: 'acme', category: 'social' };
    expect(() => loadCatalog([row('twilio'), badCategory])).toThrow(/catalog\[1\] \("acme"\): category:/);
    const badPage = { ...row('github'), page: 'not a url' };
    expect(() => loadCatalog([badPage])).toThrow(/catalog\[0\] \("github"\): page:/);
    const badId = { ...row('github'), id: 'Git_Hub' };
    expect(() => loadCatalog([badId])).toThrow(/catalog\[0\] \("Git_Hub"\): id: lowercase kebab-case/);
  });

  test('an unknown provider fails when the registry ids are given, and passes the schema alone', () => {
    const future = { ...row('github'), provider: 'pingdom' };
    expect(() => loadCatalog([future], platformIds)).toThrow(
      /catalog\[0\] \("github"\): provider: unknown provider "pingdom"/,
    );
    expect(loadCatalog([future]).get('github')?.provider).toBe('pingdom');
  });

  test('statuspage entries poll their page origin', () => {
    const mismatched = entries
      .filter((e) => e.provider === 'statuspage')
      .filter((e) => e.url !== new URL(e.page).origin)
      .map((e) => `${e.id}: ${e.url} vs ${e.page}`);
    expect(mismatched).toEqual([]);
  });

  test('every category has vendors', () => {
    const empty = catalogCategories.filter((c) => !entries.some((e) => e.category === c));
    expect(empty).toEqual([]);
  });

  test('the vendors SaaS teams ask for first are present', () => {
    const wanted = [
      ...['100ms', 'tokbox', 'twilio', 'zoom', 'livekit', 'daily', 'mux', 'agora'],
      ...['aws', 'gcp', 'azure', 'cloudflare', 'fastly', 'akamai', 'digitalocean'],
      ...['flyio', 'vercel', 'netlify', 'heroku', 'render'],
      ...['sendgrid', 'mailgun', 'slack', 'discord', 'stripe', 'paypal'],
      ...['auth0', 'okta', 'clerk', 'mongodb', 'redis-cloud', 'supabase', 'snowflake'],
      ...['github', 'gitlab', 'npm', 'docker', 'datadog', 'sentry', 'openai', 'claude'],
    ];
    expect(wanted.filter((id) => !catalog.has(id))).toEqual([]);
  });

  test('platforms that need settings carry them', () => {
    const needing = entries.filter((e) =>
      ['statusio', 'statuspal', 'rss', 'html', 'aws-rss'].includes(e.provider),
    );
    expect(needing.length).toBeGreaterThan(0);
    expect(needing.filter((e) => !e.options).map((e) => e.id)).toEqual([]);
    for (const e of needing.filter((e) => e.provider === 'statusio'))
      expect(e.options?.pageId, e.id).toMatch(/^[0-9a-f]{24}$/);
    for (const e of needing.filter((e) => e.provider === 'rss')) expect(e.options?.feed, e.id).toMatch(/^\//);

    const noPageId = { ...row('gitlab'), options: {} };
    expect(() => loadCatalog([noPageId])).toThrow(/catalog\[0\] \("gitlab"\): options\.pageId:/);
    const noFeed = { ...row('heroku') };
    delete noFeed.options;
    expect(() => loadCatalog([noFeed])).toThrow(/catalog\[0\] \("heroku"\): options\.feed:/);
  });

  test("entries satisfy their registered provider's options schema", () => {
    const failures = entries.flatMap((e: CatalogEntry) => {
      const schema = providers.get(e.provider)?.optionsSchema;
      if (!schema) return [];
      const parsed = schema.safeParse(e.options ?? {});
      return parsed.success ? [] : [`${e.id}: ${parsed.error.message}`];
    });
    expect(failures).toEqual([]);
  });

  test('every entry says where its platform fact comes from', () => {
    const thin = entries.filter((e) => e.evidence.trim().length < 12).map((e) => e.id);
    expect(thin).toEqual([]);
  });
});
