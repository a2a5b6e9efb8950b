import { describe, expect, test } from 'vitest';
import { allRegions, ancestors, broadAncestors, getRegion, isWithin } from '../src/core/regions/taxonomy.js';
import { hasSharedFixtures, readShared } from './support/fixtures.js';

const ID_SHAPE =
  /^(?:global|macro:[a-z-]+|country:[a-z]{2}|city:[a-z0-9-]+|site:[a-z]{3}|aws:[a-z]{2,4}(?:-[a-z]+)+-\d|gcp:[a-z0-9-]+|azure:[a-z0-9]+)$/;

function fold(alias: string): string {
  return alias
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}()]+/gu, ' ')
    .trim();
}

const count = (prefix: string): number => allRegions().filter((n) => n.id.startsWith(prefix)).length;

describe('region taxonomy', () => {
  test('getRegion() returns a node at every level and undefined for unknown ids', () => {
    expect(getRegion('global')?.parent).toBeNull();
    expect(getRegion('macro:europe')?.parent).toBe('global');
    expect(getRegion('country:de')?.parent).toBe('macro:europe');
    expect(getRegion('city:frankfurt')?.parent).toBe('country:de');
    expect(getRegion('site:fra')?.parent).toBe('city:frankfurt');
    expect(getRegion('aws:eu-central-1')).toMatchObject({
      name: 'Europe (Frankfurt)',
      parent: 'city:frankfurt',
    });
    expect(getRegion('aws:eu-central-1')?.aliases).toEqual(
      expect.arrayContaining(['eu-central-1', 'EU (Frankfurt)']),
    );
    expect(getRegion('gcp:europe-west3')?.parent).toBe('city:frankfurt');
    expect(getRegion('azure:westeurope')).toMatchObject({ name: 'West Europe', parent: 'city:amsterdam' });
    expect(getRegion('macro:atlantis')).toBeUndefined();
    expect(getRegion('eu-west-1')).toBeUndefined();
  });

  test('ancestors() lists parents nearest first and ends with global', () => {
    expect(ancestors('site:sjc')).toEqual(['city:san-jose', 'country:us', 'macro:north-america', 'global']);
    expect(ancestors('aws:us-east-1')).toEqual([
      'city:ashburn',
      'country:us',
      'macro:north-america',
      'global',
    ]);
    expect(ancestors('gcp:eu')).toEqual(['macro:europe', 'global']);
    expect(ancestors('global')).toEqual([]);
    expect(ancestors('site:zzz')).toEqual([]);
  });

  test('isWithin() follows the tree, counts a region as within itself, and knows nothing of unknown ids', () => {
    expect(isWithin('site:fra', 'macro:europe')).toBe(true);
    expect(isWithin('aws:eu-west-1', 'country:ie')).toBe(true);
    expect(isWithin('aws:eu-west-1', 'global')).toBe(true);
    expect(isWithin('macro:europe', 'macro:europe')).toBe(true);
    expect(isWithin('macro:europe', 'site:fra')).toBe(false);
    expect(isWithin('aws:eu-west-1', 'macro:north-america')).toBe(false);
    expect(isWithin('site:zzz', 'global')).toBe(false);
  });

  test('broadAncestors() adds the macro-regions a country is also counted in', () => {
    expect(broadAncestors('site:syd')).toContain('macro:asia-pacific');
    expect(ancestors('site:syd')).not.toContain('macro:asia-pacific');
    expect(broadAncestors('country:mx')).toEqual(['macro:north-america', 'global', 'macro:latin-america']);
    expect(broadAncestors('site:fra')).toEqual(ancestors('site:fra'));
  });

  test('every node but global has one existing parent, ids follow the contract, parents come first', () => {
    const seen = new Set<string>();
    for (const node of allRegions()) {
      expect(node.id, node.id).toMatch(ID_SHAPE);
      if (node.id === 'global') expect(node.parent).toBeNull();
      else expect(seen.has(node.parent ?? ''), `${node.id} → ${node.parent}`).toBe(true);
      expect(ancestors(node.id).at(-1) ?? 'global').toBe('global');
      seen.add(node.id);
    }
  });

  test('cloud regions sit under a city or a country; macros under global', () => {
    for (const node of allRegions()) {
      if (/^(?:aws|azure|site):/.test(node.id)) expect(node.parent, node.id).toMatch(/^(?:city|country):/);
      if (node.id.startsWith('macro:')) expect(node.parent).toBe('global');
    }
  });

  test('holds the seven macro-regions and the full cloud and PoP lists', () => {
    expect(count('macro:')).toBe(7);
    expect(count('country:')).toBeGreaterThanOrEqual(150);
    expect(count('city:')).toBeGreaterThanOrEqual(300);
    expect(count('site:')).toBeGreaterThanOrEqual(300);
    expect(count('aws:')).toBeGreaterThanOrEqual(37);
    expect(count('gcp:')).toBeGreaterThanOrEqual(45);
    expect(count('azure:')).toBeGreaterThanOrEqual(60);
  });

  test('no alias names two unrelated nodes', () => {
    const owners = new Map<string, string[]>();
    for (const node of allRegions()) {
      for (const alias of node.aliases)
        owners.set(fold(alias), [...(owners.get(fold(alias)) ?? []), node.id]);
    }
    const clashes = [...owners].filter(([, ids]) => {
      const distinct = [...new Set(ids)];
      return distinct.some((a) => distinct.some((b) => a !== b && !isWithin(a, b) && !isWithin(b, a)));
    });
    expect(clashes).toEqual([]);
  });
});

describe.skipIf(!hasSharedFixtures)('region taxonomy against recorded payloads', () => {
  test('knows every AWS region code in the legacy status data and every GCP location id', async () => {
    const aws = JSON.parse(await readShared('real/aws/legacy_status_data_json_2022-07-03.json')) as {
      archive: { service: string }[];
    };
    const codes = aws.archive
      .map((i) => /-((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov)?-[a-z]+-\d)$/.exec(i.service)?.[1])
      .filter((c): c is string => c !== undefined);
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((c) => getRegion(`aws:${c}`) === undefined)).toEqual([]);

    type Location = { id: string };
    const gcp = JSON.parse(await readShared('real/gcp/incidents_2022-07-03_first21.json')) as {
      currently_affected_locations?: Location[];
      previously_affected_locations?: Location[];
    }[];
    const ids = gcp.flatMap((i) => [
      ...(i.currently_affected_locations ?? []),
      ...(i.previously_affected_locations ?? []),
    ]);
    const unknown = ids
      .map((l) => l.id)
      .filter((id) => id !== 'global' && getRegion(`gcp:${id}`) === undefined);
    expect(ids.length).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
  });

  test('has every Cloudflare PoP as a site nested under the group Cloudflare files it in', async () => {
    const groups: Record<string, string> = {
      Africa: 'macro:africa',
      Asia: 'macro:asia-pacific',
      Europe: 'macro:europe',
      'Latin America & the Caribbean': 'macro:latin-america',
      'Middle East': 'macro:middle-east',
      'North America': 'macro:north-america',
      Oceania: 'macro:oceania',
    };
    const names = new Set<string>();
    for (const line of (await readShared('real/stactus/cloudflare.jsonl')).split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { components?: { name: string }[] };
      for (const c of row.components ?? []) names.add(c.name);
    }
    const pops = [...names]
      .map((n) => /^(.+?) \/ .+-\s+\(([A-Z]{3})\)$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(pops.length).toBeGreaterThan(250);
    const misplaced = pops
      .filter(
        ([, group, code]) =>
          !broadAncestors(`site:${code?.toLowerCase()}`).includes(groups[group ?? ''] ?? '?'),
      )
      .map(([name]) => name);
    expect(misplaced).toEqual([]);
  });
});
