/**
 * Names of areas that are not nodes themselves — states, provinces, vendor cell codes — and the
 * node each one resolves to (the nearest node that contains it).
 */
export interface ExtraAlias {
  alias: string;
  id: string;
}

const US_STATES = [
  'Alabama',
  'Alaska',
  'Arizona',
  'Arkansas',
  'California',
  'Colorado',
  'Connecticut',
  'Delaware',
  'Florida',
  'Hawaii',
  'Idaho',
  'Illinois',
  'Indiana',
  'Iowa',
  'Kansas',
  'Kentucky',
  'Louisiana',
  'Maine',
  'Maryland',
  'Massachusetts',
  'Michigan',
  'Minnesota',
  'Mississippi',
  'Missouri',
  'Montana',
  'Nebraska',
  'Nevada',
  'New Hampshire',
  'New Jersey',
  'New Mexico',
  'North Carolina',
  'North Dakota',
  'Ohio',
  'Oklahoma',
  'Oregon',
  'Pennsylvania',
  'Rhode Island',
  'South Carolina',
  'South Dakota',
  'Tennessee',
  'Texas',
  'Utah',
  'Vermont',
  'Virginia',
  'Washington',
  'Washington State',
  'West Virginia',
  'Wisconsin',
  'Wyoming',
];
// Georgia is left out on purpose: alone it names the country; "Atlanta, Georgia" is handled by
// the extractor, which drops a country that merely qualifies a city outside it.

const CANADIAN_PROVINCES = [
  'Ontario',
  'Quebec',
  'Québec',
  'British Columbia',
  'Alberta',
  'Manitoba',
  'Saskatchewan',
  'Nova Scotia',
  'New Brunswick',
  'Newfoundland',
];

const AUSTRALIAN_STATES = [
  'New South Wales',
  'Queensland',
  'Western Australia',
  'South Australia',
  'Tasmania',
];

/** Sub-national names and vendor-specific codes, each resolved to one node. */
export const EXTRA_ALIASES: ExtraAlias[] = [
  ...US_STATES.map((alias) => ({ alias, id: 'country:us' })),
  ...CANADIAN_PROVINCES.map((alias) => ({ alias, id: 'country:ca' })),
  ...AUSTRALIAN_STATES.map((alias) => ({ alias, id: 'country:au' })),
  { alias: 'Bavaria', id: 'country:de' },
  { alias: 'Hesse', id: 'country:de' },
  { alias: 'Brandenburg', id: 'country:de' },
  // Twilio's regions (US1, IE1, AU1, JP1…); US1–US5 and EU1 are on their nodes as Datadog sites too.
  { alias: 'IE1', id: 'country:ie' },
  { alias: 'AU1', id: 'country:au' },
  { alias: 'JP1', id: 'country:jp' },
  { alias: 'IN1', id: 'country:in' },
  { alias: 'BR1', id: 'country:br' },
  { alias: 'DE1', id: 'country:de' },
  { alias: 'SG1', id: 'city:singapore' },
  // Twilio's edge locations are lower-case city names; Umatilla is its Oregon edge.
  { alias: 'Umatilla', id: 'country:us' },
  // DigitalOcean and Hetzner datacenter prefixes that are not airport codes ("NYC3", "SGP1").
  { alias: 'SGP', id: 'city:singapore' },
  { alias: 'LON', id: 'city:london' },
  { alias: 'TOR', id: 'city:toronto' },
  { alias: 'MKC', id: 'city:kansas-city' },
  { alias: 'FSN1', id: 'city:falkenstein' },
  { alias: 'NBG1', id: 'city:nuremberg' },
];
