import type { CloudRegionEntry } from './aws.js';

/**
 * Every Google Cloud region, named as the Service Health dashboard titles them
 * ("Frankfurt (europe-west3)"), plus the multi-regions `us`, `eu` and `asia`. The multi-region codes
 * are not matched in prose (they are the words "us" and "eu"); providers map GCP location ids
 * directly, and "Multi-region: us" is the dashboard's own title for `us`.
 */
export const GCP_REGIONS: CloudRegionEntry[] = [
  { code: 'africa-south1', name: 'Johannesburg (africa-south1)', parent: 'city:johannesburg' },
  { code: 'asia-east1', name: 'Taiwan (asia-east1)', parent: 'city:changhua' },
  { code: 'asia-east2', name: 'Hong Kong (asia-east2)', parent: 'city:hong-kong' },
  { code: 'asia-northeast1', name: 'Tokyo (asia-northeast1)', parent: 'city:tokyo' },
  { code: 'asia-northeast2', name: 'Osaka (asia-northeast2)', parent: 'city:osaka' },
  { code: 'asia-northeast3', name: 'Seoul (asia-northeast3)', parent: 'city:seoul' },
  { code: 'asia-south1', name: 'Mumbai (asia-south1)', parent: 'city:mumbai' },
  { code: 'asia-south2', name: 'Delhi (asia-south2)', parent: 'city:new-delhi' },
  { code: 'asia-southeast1', name: 'Singapore (asia-southeast1)', parent: 'city:singapore' },
  { code: 'asia-southeast2', name: 'Jakarta (asia-southeast2)', parent: 'city:jakarta' },
  { code: 'asia-southeast3', name: 'Bangkok (asia-southeast3)', parent: 'city:bangkok' },
  { code: 'australia-southeast1', name: 'Sydney (australia-southeast1)', parent: 'city:sydney' },
  { code: 'australia-southeast2', name: 'Melbourne (australia-southeast2)', parent: 'city:melbourne' },
  { code: 'europe-central2', name: 'Warsaw (europe-central2)', parent: 'city:warsaw' },
  { code: 'europe-north1', name: 'Finland (europe-north1)', parent: 'city:hamina' },
  { code: 'europe-north2', name: 'Stockholm (europe-north2)', parent: 'city:stockholm' },
  { code: 'europe-southwest1', name: 'Madrid (europe-southwest1)', parent: 'city:madrid' },
  { code: 'europe-west1', name: 'Belgium (europe-west1)', parent: 'city:st-ghislain' },
  { code: 'europe-west2', name: 'London (europe-west2)', parent: 'city:london' },
  { code: 'europe-west3', name: 'Frankfurt (europe-west3)', parent: 'city:frankfurt' },
  { code: 'europe-west4', name: 'Netherlands (europe-west4)', parent: 'city:eemshaven' },
  { code: 'europe-west6', name: 'Zurich (europe-west6)', parent: 'city:zurich' },
  { code: 'europe-west8', name: 'Milan (europe-west8)', parent: 'city:milan' },
  { code: 'europe-west9', name: 'Paris (europe-west9)', parent: 'city:paris' },
  { code: 'europe-west10', name: 'Berlin (europe-west10)', parent: 'city:berlin' },
  { code: 'europe-west12', name: 'Turin (europe-west12)', parent: 'city:turin' },
  { code: 'me-central1', name: 'Doha (me-central1)', parent: 'city:doha' },
  { code: 'me-central2', name: 'Dammam (me-central2)', parent: 'city:dammam' },
  { code: 'me-west1', name: 'Tel Aviv (me-west1)', parent: 'city:tel-aviv' },
  { code: 'northamerica-northeast1', name: 'Montréal (northamerica-northeast1)', parent: 'city:montreal' },
  { code: 'northamerica-northeast2', name: 'Toronto (northamerica-northeast2)', parent: 'city:toronto' },
  { code: 'northamerica-south1', name: 'Querétaro (northamerica-south1)', parent: 'city:queretaro' },
  { code: 'southamerica-east1', name: 'São Paulo (southamerica-east1)', parent: 'city:sao-paulo' },
  { code: 'southamerica-west1', name: 'Santiago (southamerica-west1)', parent: 'city:santiago' },
  { code: 'us-central1', name: 'Iowa (us-central1)', parent: 'city:council-bluffs' },
  { code: 'us-east1', name: 'South Carolina (us-east1)', parent: 'city:moncks-corner' },
  { code: 'us-east4', name: 'Northern Virginia (us-east4)', parent: 'city:ashburn' },
  { code: 'us-east5', name: 'Columbus (us-east5)', parent: 'city:columbus' },
  { code: 'us-south1', name: 'Dallas (us-south1)', parent: 'city:dallas' },
  { code: 'us-west1', name: 'Oregon (us-west1)', parent: 'city:the-dalles' },
  { code: 'us-west2', name: 'Los Angeles (us-west2)', parent: 'city:los-angeles' },
  { code: 'us-west3', name: 'Salt Lake City (us-west3)', parent: 'city:salt-lake-city' },
  { code: 'us-west4', name: 'Las Vegas (us-west4)', parent: 'city:las-vegas' },
];

/** GCP multi-regions: matched only by their dashboard titles, never by the bare code. */
export const GCP_MULTI_REGIONS: CloudRegionEntry[] = [
  {
    code: 'us',
    name: 'Multi-region: us',
    parent: 'country:us',
    aliases: ['US multi-region', 'US Multiregion', 'Multi-region US'],
  },
  {
    code: 'eu',
    name: 'Multi-region: eu',
    parent: 'macro:europe',
    aliases: ['EU multi-region', 'EU Multiregion', 'Multi-region EU'],
  },
  {
    code: 'asia',
    name: 'Multi-region: asia',
    parent: 'macro:asia-pacific',
    aliases: ['Asia multi-region', 'Asia Multiregion', 'Multi-region Asia'],
  },
];
