/**
 * A cloud region: `code` forms the id `<cloud>:<code>` and is always an alias; `name` is the
 * provider's display name; `parent` is the city (or country, when the provider names no city).
 */
export interface CloudRegionEntry {
  code: string;
  name: string;
  parent: string;
  aliases?: string[];
}

/**
 * Every AWS region (commercial, GovCloud, China, European Sovereign Cloud). Aliases carry the older
 * "EU (Frankfurt)" display style, the legacy "US Standard" S3 name and the common short codes
 * ("use1", "euw2") seen in AZ ids and vendor cell names.
 */
export const AWS_REGIONS: CloudRegionEntry[] = [
  {
    code: 'us-east-1',
    name: 'US East (N. Virginia)',
    parent: 'city:ashburn',
    aliases: ['US East (Northern Virginia)', 'US Standard', 'us-standard', 'use1'],
  },
  { code: 'us-east-2', name: 'US East (Ohio)', parent: 'city:columbus', aliases: ['use2'] },
  {
    code: 'us-west-1',
    name: 'US West (N. California)',
    parent: 'city:san-francisco',
    aliases: ['US West (Northern California)', 'usw1'],
  },
  { code: 'us-west-2', name: 'US West (Oregon)', parent: 'country:us', aliases: ['usw2'] },
  { code: 'af-south-1', name: 'Africa (Cape Town)', parent: 'city:cape-town', aliases: ['afs1'] },
  { code: 'ap-east-1', name: 'Asia Pacific (Hong Kong)', parent: 'city:hong-kong', aliases: ['ape1'] },
  { code: 'ap-east-2', name: 'Asia Pacific (Taipei)', parent: 'city:taipei', aliases: ['ape2'] },
  { code: 'ap-south-1', name: 'Asia Pacific (Mumbai)', parent: 'city:mumbai' },
  { code: 'ap-south-2', name: 'Asia Pacific (Hyderabad)', parent: 'city:hyderabad' },
  { code: 'ap-southeast-1', name: 'Asia Pacific (Singapore)', parent: 'city:singapore', aliases: ['apse1'] },
  { code: 'ap-southeast-2', name: 'Asia Pacific (Sydney)', parent: 'city:sydney', aliases: ['apse2'] },
  { code: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)', parent: 'city:jakarta', aliases: ['apse3'] },
  { code: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)', parent: 'city:melbourne', aliases: ['apse4'] },
  { code: 'ap-southeast-5', name: 'Asia Pacific (Malaysia)', parent: 'country:my', aliases: ['apse5'] },
  { code: 'ap-southeast-6', name: 'Asia Pacific (New Zealand)', parent: 'country:nz', aliases: ['apse6'] },
  { code: 'ap-southeast-7', name: 'Asia Pacific (Thailand)', parent: 'country:th', aliases: ['apse7'] },
  { code: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)', parent: 'city:tokyo', aliases: ['apne1', 'apn1'] },
  { code: 'ap-northeast-2', name: 'Asia Pacific (Seoul)', parent: 'city:seoul', aliases: ['apne2', 'apn2'] },
  { code: 'ap-northeast-3', name: 'Asia Pacific (Osaka)', parent: 'city:osaka', aliases: ['apne3', 'apn3'] },
  { code: 'ca-central-1', name: 'Canada (Central)', parent: 'city:montreal', aliases: ['cac1', 'can1'] },
  { code: 'ca-west-1', name: 'Canada West (Calgary)', parent: 'city:calgary', aliases: ['caw1', 'can2'] },
  {
    code: 'eu-central-1',
    name: 'Europe (Frankfurt)',
    parent: 'city:frankfurt',
    aliases: ['EU (Frankfurt)', 'euc1'],
  },
  { code: 'eu-central-2', name: 'Europe (Zurich)', parent: 'city:zurich', aliases: ['EU (Zurich)', 'euc2'] },
  { code: 'eu-west-1', name: 'Europe (Ireland)', parent: 'city:dublin', aliases: ['EU (Ireland)', 'euw1'] },
  { code: 'eu-west-2', name: 'Europe (London)', parent: 'city:london', aliases: ['EU (London)', 'euw2'] },
  { code: 'eu-west-3', name: 'Europe (Paris)', parent: 'city:paris', aliases: ['EU (Paris)', 'euw3'] },
  { code: 'eu-south-1', name: 'Europe (Milan)', parent: 'city:milan', aliases: ['EU (Milan)', 'eus1'] },
  { code: 'eu-south-2', name: 'Europe (Spain)', parent: 'country:es', aliases: ['EU (Spain)', 'eus2'] },
  {
    code: 'eu-north-1',
    name: 'Europe (Stockholm)',
    parent: 'city:stockholm',
    aliases: ['EU (Stockholm)', 'eun1'],
  },
  { code: 'il-central-1', name: 'Israel (Tel Aviv)', parent: 'city:tel-aviv', aliases: ['ilc1'] },
  { code: 'me-south-1', name: 'Middle East (Bahrain)', parent: 'country:bh', aliases: ['mes1'] },
  { code: 'me-central-1', name: 'Middle East (UAE)', parent: 'country:ae', aliases: ['mec1'] },
  { code: 'mx-central-1', name: 'Mexico (Central)', parent: 'country:mx', aliases: ['mxc1'] },
  { code: 'sa-east-1', name: 'South America (São Paulo)', parent: 'city:sao-paulo', aliases: ['sae1'] },
  {
    code: 'us-gov-west-1',
    name: 'AWS GovCloud (US-West)',
    parent: 'country:us',
    aliases: ['GovCloud (US-West)', 'GovCloud (US)', 'AWS GovCloud (US)', 'ugw1'],
  },
  {
    code: 'us-gov-east-1',
    name: 'AWS GovCloud (US-East)',
    parent: 'country:us',
    aliases: ['GovCloud (US-East)', 'uge1'],
  },
  { code: 'cn-north-1', name: 'China (Beijing)', parent: 'city:beijing' },
  { code: 'cn-northwest-1', name: 'China (Ningxia)', parent: 'country:cn' },
  {
    code: 'eusc-de-east-1',
    name: 'AWS European Sovereign Cloud (Germany)',
    parent: 'country:de',
    aliases: ['European Sovereign Cloud'],
  },
];
