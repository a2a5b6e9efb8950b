/** A macro-region (continent-scale area) under `global`; `slug` forms the id `macro:<slug>`. */
export interface MacroEntry {
  slug: string;
  name: string;
  aliases: string[];
}

/** Names that mean "everywhere": they resolve to `global`. */
export const GLOBAL_ALIASES: string[] = [
  'Global',
  'Globally',
  'Worldwide',
  'World-wide',
  'World wide',
  'All regions',
  'All locations',
  'All datacenters',
  'All data centers',
  'All data centres',
  'All PoPs',
  'All colos',
  'All geographies',
  'Across the globe',
  'Around the world',
];

/** The seven macro-regions. Cloudflare's R2 location hints (ENAM, WEUR, …) are listed as aliases. */
export const MACROS: MacroEntry[] = [
  {
    slug: 'europe',
    name: 'Europe',
    aliases: [
      'European',
      'EU',
      'E.U.',
      'European Union',
      'Western Europe',
      'Eastern Europe',
      'Northern Europe',
      'Southern Europe',
      'Central Europe',
      'Continental Europe',
      'Europe West',
      'Europe Central',
      'Europe North',
      'Europe South',
      'Europe East',
      'EU West',
      'EU Central',
      'EU North',
      'EU South',
      'EU East',
      'EU1',
      'EU2',
      'WEUR',
      'EEUR',
    ],
  },
  {
    slug: 'north-america',
    name: 'North America',
    aliases: [
      'North American',
      'North-America',
      'N. America',
      'NA',
      'NORAM',
      'NAMER',
      'ENAM',
      'WNAM',
      'Eastern North America',
      'Western North America',
    ],
  },
  {
    slug: 'latin-america',
    name: 'Latin America',
    aliases: [
      'Latin American',
      'LATAM',
      'South America',
      'South American',
      'Central America',
      'Caribbean',
      'Latin America and the Caribbean',
    ],
  },
  {
    slug: 'asia-pacific',
    name: 'Asia Pacific',
    aliases: [
      'Asia-Pacific',
      'APAC',
      'APJ',
      'APJC',
      'AsiaPac',
      'Asia',
      'Asian',
      'South Asia',
      'SE Asia',
      'South East Asia',
      'Far East',
    ],
  },
  {
    slug: 'middle-east',
    name: 'Middle East',
    aliases: ['Mid East', 'Mideast', 'Middle Eastern'],
  },
  {
    slug: 'africa',
    name: 'Africa',
    aliases: [
      'African',
      'Sub-Saharan Africa',
      'North Africa',
      'West Africa',
      'East Africa',
      'Southern Africa',
    ],
  },
  {
    slug: 'oceania',
    name: 'Oceania',
    aliases: ['Australasia', 'ANZ', 'Pacific Islands'],
  },
];

/** Names that mean several macro-regions at once (EMEA is three of them). */
export const GROUP_ALIASES: { alias: string; ids: string[] }[] = [
  { alias: 'EMEA', ids: ['macro:europe', 'macro:middle-east', 'macro:africa'] },
  { alias: 'MEA', ids: ['macro:middle-east', 'macro:africa'] },
  { alias: 'MENA', ids: ['macro:middle-east', 'macro:africa'] },
  { alias: 'Americas', ids: ['macro:north-america', 'macro:latin-america'] },
  { alias: 'AMER', ids: ['macro:north-america', 'macro:latin-america'] },
];

/**
 * "Global" alone is often an adjective ("a global value", "Global Protect", "Storage / Global
 * Config"). It means the scope "everywhere" only as a label of its own ("App Platform / Global",
 * "[Global]", "Global: Apigee…"), after a verb ("the issue is global") or before one of these nouns.
 */
export const GLOBAL_SCOPE_NOUNS: string[] = [
  'outage',
  'outages',
  'impact',
  'incident',
  'issue',
  'issues',
  'problem',
  'problems',
  'disruption',
  'degradation',
  'network',
  'connectivity',
  'availability',
  'event',
  'locale',
  'scope',
  'rollout',
  'region',
  'regions',
  'footprint',
];
