import { describe, expect, test } from 'vitest';
import {
  canonicalRegions,
  extractRegions,
  mostSpecific,
  resolveRegionLabel,
} from '../src/core/regions/extract.js';

/** Asserts canonicalRegions() for each [text, expected ids] row, in order. */
function expectRegions(rows: [string, string[]][]): void {
  for (const [text, expected] of rows) expect(canonicalRegions(text), text).toEqual(expected);
}

describe('canonicalRegions() on the agreed examples', () => {
  test('component names, group names and prose yield the most specific region', () => {
    expectRegions([
      ['Frankfurt, Germany - (FRA)', ['site:fra']],
      ['Europe / Amsterdam, Netherlands - (AMS)', ['site:ams']],
      ['SMS, Europe', ['macro:europe']],
      ['AWS ec2-eu-central-1', ['aws:eu-central-1']],
      ['rooms located in the Europe region', ['macro:europe']],
      ['the SJC datacenter', ['site:sjc']],
    ]);
  });

  test('cloud region codes and display names map to the cloud region', () => {
    expectRegions([
      ['EU (Frankfurt)', ['aws:eu-central-1']],
      ['Europe (Frankfurt)', ['aws:eu-central-1']],
      ['eu-west-1', ['aws:eu-west-1']],
      ['europe-west3', ['gcp:europe-west3']],
      ['West Europe', ['azure:westeurope']],
      ['US East (N. Virginia)', ['aws:us-east-1']],
      ['Asia Pacific (Sydney)', ['aws:ap-southeast-2']],
      ['Frankfurt (europe-west3)', ['gcp:europe-west3']],
      ['East US 2', ['azure:eastus2']],
      ['North Central US', ['azure:northcentralus']],
    ]);
  });

  test('"Frankfurt" in any form other than the AWS display name is the city', () => {
    expectRegions([
      ['Frankfurt', ['city:frankfurt']],
      ['Europe / Frankfurt', ['city:frankfurt']],
      ['Amazon Elastic Compute Cloud (Frankfurt)', ['city:frankfurt']],
      ['Intermittent connection issues for some clusters in the AWS Frankfurt region', ['city:frankfurt']],
    ]);
  });

  test('scope words mean global', () => {
    expectRegions([
      ['global', ['global']],
      ['all regions', ['global']],
      ['worldwide', ['global']],
      ['App Platform / Global', ['global']],
      ['Redis Cloud - Service Disruption Due to GCP Global Outage', ['global']],
      ['[Global] Cloud Spanner backups restore operations may be delayed.', ['global']],
    ]);
  });

  test('macro aliases and two unrelated regions', () => {
    expectRegions([
      ['US and EU', ['country:us', 'macro:europe']],
      ['EMEA', ['macro:europe', 'macro:middle-east', 'macro:africa']],
      ['APAC', ['macro:asia-pacific']],
      ['LATAM', ['macro:latin-america']],
      ['NA', ['macro:north-america']],
      ['North America', ['macro:north-america']],
      ['US East', ['country:us']],
      ['N. Virginia', ['city:ashburn']],
      ['Oregon', ['country:us']],
      ['Ireland', ['country:ie']],
      ['Europe & South Africa → AWS Network Issues', ['macro:europe', 'country:za']],
    ]);
  });

  test('negated or region-free texts yield nothing', () => {
    expectRegions([
      ['not affecting Europe', []],
      ['API Requests', []],
    ]);
  });
});

describe('extractRegions()', () => {
  test('reports every mention with the words that named it', () => {
    expect(extractRegions('Elevated errors in EU (Frankfurt), not affecting North America')).toEqual([
      { id: 'aws:eu-central-1', raw: 'EU (Frankfurt)', negated: false },
      { id: 'macro:north-america', raw: 'North America', negated: true },
    ]);
    expect(extractRegions('EMEA').map((m) => m.raw)).toEqual(['EMEA', 'EMEA', 'EMEA']);
    expect(extractRegions('')).toEqual([]);
  });

  test('a Cloudflare PoP name yields the macro, city, country and site it spells out', () => {
    expect(extractRegions('Europe / Amsterdam, Netherlands - (AMS)').map((m) => m.id)).toEqual([
      'macro:europe',
      'city:amsterdam',
      'country:nl',
      'site:ams',
    ]);
  });
});

describe('short codes and look-alike words', () => {
  test('the pronoun "us" and words that contain a code are not regions', () => {
    expectRegions([
      ['Contact us if the problem persists', []],
      ['Let us know; several of us are on it', []],
      ['Status: all systems operational', []],
      ['The bus is neutral', []],
      ['na', []],
      ['Field not applicable', []],
      ['IT department maintenance', []],
      ['A chilly day', []],
      ['Visit zoom.us for details', []],
    ]);
  });

  test('lower-case codes count in a code-like context', () => {
    expectRegions([
      ['us region', ['country:us']],
      ['(fra)', ['site:fra']],
      ['fra', ['site:fra']],
      ['Capacity issues in iad and dfw', ['site:iad', 'site:dfw']],
      ['Builders are having issues being created in gru region', ['site:gru']],
    ]);
  });

  test('codes that are English words need more than capitals', () => {
    expectRegions([
      ['MAN', ['site:man']],
      ['Europe / Manchester, United Kingdom - (MAN)', ['site:man']],
      ['MAN hours were lost', []],
      ['Networking Issues in SEA', ['site:sea']],
      [
        'Upstream network outage impacting SEA, SJC, LAX, HKG',
        ['site:sea', 'site:sjc', 'site:lax', 'site:hkg'],
      ],
      ['Increased HTTP 500 Errors in TPE & DEL colos', ['site:tpe', 'site:del']],
      ['Elevated errors for Edge Config', []],
      ['Some MSP users are unable to access Managed Companies', []],
      ['Verify SHA256 and SHA1 digests', []],
    ]);
  });

  test('all-caps text needs context for codes but not for names', () => {
    expectRegions([
      ['CONTACT US FOR MORE INFORMATION', []],
      ['SMS DELIVERY DELAYS TO MOZAMBIQUE', ['country:mz']],
      ['ELASTIC SIP TRUNKING US1', ['country:us']],
    ]);
  });

  test('datacenter names built on a code, vendor home regions and ISO codes as labels', () => {
    expectRegions([
      ['Droplets / NYC3', ['city:new-york']],
      ['Spaces / FRA1', ['site:fra']],
      ['Elevated errors serving traffic in dub1 Edge Region', ['site:dub']],
      ['Kubernetes / SGP1', ['city:singapore']],
      ['Recording API Unavailable in IE1/AU1 Home Regions', ['country:ie', 'country:au']],
      ['Service Degradation Affecting Zoom Outbound SMS in the AU Region', ['country:au']],
      ['UI : JP', ['country:jp']],
      ['We will provide another update in1 hour', []],
    ]);
  });

  test('names: "Netherlands" holds "the", Georgia is the country unless it qualifies a US city', () => {
    expectRegions([
      ['Netherlands', ['country:nl']],
      ['The Netherlands', ['country:nl']],
      ['Georgia', ['country:ge']],
      ['Tbilisi, Georgia - (TBS)', ['site:tbs']],
      ['Network Performance Issues in Atlanta, Georgia', ['city:atlanta']],
      ['CDN / CLE1 - Cleveland, East US', ['site:cle']],
      ['Chile', ['country:cl']],
      ['Investigating potential impact to Realtime services in Bombay', ['city:mumbai']],
    ]);
  });

  test('hostnames, URLs, products, time zones and adjectives are not regions', () => {
    expectRegions([
      ['Phoenix.new', []],
      ['See https://status.example.com/eu/fra/incidents for details', []],
      ['This may impact customers using China Network', []],
      ['SMS delays to China Mobile Hong Kong', ['city:hong-kong']],
      ['Starting from 22:30 Beijing time, access has returned to normal', []],
      ['We will provide an update by 16:05 US/Pacific', []],
      ['The change unintentionally overwrote a global value.', []],
      ['Storage / Global Config', []],
      ['IS&T has identified an issue impacting Global Protect', []],
    ]);
  });
});

describe('cloud codes', () => {
  test('availability zones and zone names resolve to their region', () => {
    expectRegions([
      ['us-east-1a', ['aws:us-east-1']],
      ['AWS Availability Zone use1-az4 is impaired', ['aws:us-east-1']],
      ['us-central1-b', ['gcp:us-central1']],
      ['**Regions/Zones:** us-central1a', ['gcp:us-central1']],
      ['AWS us_east_1 Outage', ['aws:us-east-1']],
      ['我们正在调查AP-EAST-1地区EC2 API错误率的上升', ['aws:ap-east-1']],
    ]);
  });

  test('vendor cell names that imitate cloud codes are not cloud regions', () => {
    expectRegions([
      ['Grafana / AWS Germany - prod-eu-west-2', ['country:de']],
      ['Intermittent instance unavailability in prod-eu-west-2', ['macro:europe']],
      ['Grafana Cloud Logs - Write degradation in Azure Netherlands (eu-west-3)', ['country:nl']],
      ['Degraded Writes in AWS us-east-2', ['aws:us-east-2']],
    ]);
  });

  test("Azure's other word order counts only next to the word Azure", () => {
    expectRegions([
      ['MongoDB Atlas: Capacity constraints in Azure US East', ['azure:eastus']],
      ['Atlas Azure cluster new snapshot creation failure (EUROPE_WEST)', ['azure:westeurope']],
      [
        'Intermittent delays in startup time - AWS US East and EU West regions.',
        ['country:us', 'macro:europe'],
      ],
      ['GCP multi-region: US Multiregion latency', ['gcp:us']],
    ]);
  });
});

describe('negation', () => {
  test('plainly negated regions are dropped', () => {
    expectRegions([
      ['customers outside the EU', []],
      ['Customers outside of the EU and US can connect', []],
      ['Europe and Asia are not affected', []],
      ['Local GRU traffic is unaffected', []],
      ['There was no impact to Voice Insights customers homed in US1 and AU1.', []],
      ['Cloudflare services functioning normally in Spain, Portugal, Andorra, and France', []],
      ['This incident does not affect customers in Japan', []],
    ]);
  });

  test('negation stays in its clause and does not reach an affirmed region', () => {
    expectRegions([
      ['Issues in Europe, but not affecting Asia', ['macro:europe']],
      ['Errors in FRA. Customers in North America are not impacted.', ['site:fra']],
      [
        'We can confirm that long codes are not impacted, only US toll-free numbers are impacted.',
        ['country:us'],
      ],
      [
        'we observed connectivity issues with a provider outside of our network in the AP-SOUTH-1 Region.',
        ['aws:ap-south-1'],
      ],
      ['This issue does not impact all Brazilian customers', ['country:br']],
    ]);
  });

  test('a complement and a negative statement together affirm the region', () => {
    expectRegions([
      ['Databases with primaries in regions other than IAD are not impacted.', ['site:iad']],
      ['Other Cloudflare data centers outside of China are not affected by this issue.', ['country:cn']],
      [
        'Other Availability Zones within the US-EAST-1 Region are not affected by this issue.',
        ['aws:us-east-1'],
      ],
      ['Provisioning speeds are returning to normal in all regions outside of US-EAST-1.', ['aws:us-east-1']],
    ]);
  });

  test('extractRegions() keeps negated mentions, flagged', () => {
    expect(extractRegions('All regions except Europe')).toEqual([
      { id: 'global', raw: 'All regions', negated: false },
      { id: 'macro:europe', raw: 'Europe', negated: true },
    ]);
  });
});

describe('canonicalRegions() over several texts, mostSpecific(), resolveRegionLabel()', () => {
  test('several texts are read one by one and reduced together', () => {
    expect(canonicalRegions(['Europe', 'Frankfurt, Germany - (FRA)', 'not affecting Asia'])).toEqual([
      'site:fra',
    ]);
    expect(canonicalRegions([])).toEqual([]);
  });

  test('mostSpecific() drops ancestors, loose ones included', () => {
    expect(mostSpecific(['global', 'macro:europe', 'site:fra', 'country:us'])).toEqual([
      'site:fra',
      'country:us',
    ]);
    expect(mostSpecific(['macro:asia-pacific', 'site:syd'])).toEqual(['site:syd']);
  });

  test('resolveRegionLabel() reads a configured label without the prose case rules', () => {
    expect(resolveRegionLabel('eu')).toEqual(['macro:europe']);
    expect(resolveRegionLabel('us')).toEqual(['country:us']);
    expect(resolveRegionLabel('macro:europe')).toEqual(['macro:europe']);
    expect(resolveRegionLabel(' eu-west-1 ')).toEqual(['aws:eu-west-1']);
    expect(resolveRegionLabel('emea')).toEqual(['macro:europe', 'macro:middle-east', 'macro:africa']);
    expect(resolveRegionLabel('Frankfurt, Germany')).toEqual(['city:frankfurt']);
    expect(resolveRegionLabel('Atlantis')).toEqual([]);
  });
});
