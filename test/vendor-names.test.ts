import { describe, expect, it } from 'vitest';
import { catalogHostOwner } from '../src/catalog-hosts.js';
import { vendorResolver } from '../src/core/vendor-names.js';

const watched = [
  { id: 'anthropic', name: 'Anthropic', url: 'https://status.anthropic.com' },
  { id: 'discord-api', name: 'Discord' },
  { id: 'datadog', name: 'Datadog', url: 'https://status.datadoghq.com' },
  { id: 'cloudflare', name: 'Cloudflare', url: 'https://www.cloudflarestatus.com' },
  { id: 'cloudflare-r2', name: 'Cloudflare R2' },
  { id: 'aws', name: 'Amazon Web Services', url: 'https://health.aws.amazon.com/health/status' },
  { id: 'gh', name: 'GitHub', url: 'https://www.githubstatus.com' },
  { id: 'acme-mail', name: 'Acme Mail', url: 'https://acme.statuspage.io' },
  { id: 'acme-pay', name: 'Acme Pay' },
];
const idOf = vendorResolver(watched, catalogHostOwner);

describe('which watched vendor an error names', () => {
  it('reads ids and display names in any case', () => {
    expect(idOf('ANTHROPIC')).toBe('anthropic');
    expect(idOf(' Discord ')).toBe('discord-api');
    expect(idOf('cloudflare r2')).toBe('cloudflare-r2');
  });

  it('reads variants and SDK packages by their leading name words', () => {
    expect(idOf('Discord API')).toBe('discord-api');
    expect(idOf('discord.js')).toBe('discord-api');
    expect(idOf('@datadog/datadog-api-client')).toBe('datadog');
    expect(idOf('datadog-api-client-python')).toBe('datadog');
    expect(idOf('@aws-sdk/client-s3')).toBe('aws');
    expect(idOf('Cloudflare R2 API')).toBe('cloudflare-r2');
    expect(idOf('cloudflare-workers')).toBe('cloudflare');
  });

  it('reads hosts and URLs by the vendor’s own domain, then by the catalog’s hosts', () => {
    expect(idOf('api.anthropic.com')).toBe('anthropic');
    expect(idOf('https://api.anthropic.com/v1/messages')).toBe('anthropic');
    // The catalog knows api.github.com as GitHub's; the config calls GitHub `gh` with the same page.
    expect(idOf('api.github.com')).toBe('gh');
    // Without a status URL in the config, the catalog's name for the host's vendor still finds it.
    const bare = vendorResolver([{ id: 'anthropic', name: 'Anthropic' }], catalogHostOwner);
    expect(bare('api.anthropic.com')).toBe('anthropic');
    // Without the catalog, only the watched vendors' own domains are known.
    expect(idOf('objects.githubusercontent.com')).toBe('gh');
    expect(vendorResolver(watched)('objects.githubusercontent.com')).toBe('objects.githubusercontent.com');
    expect(vendorResolver(watched)('api.anthropic.com')).toBe('anthropic');
  });

  it('leaves alone what it cannot tell: unknown names, generic words, ties, shared hosting', () => {
    expect(idOf('postgres')).toBe('postgres');
    expect(idOf('api')).toBe('api');
    expect(idOf('http-client')).toBe('http-client');
    // Two watched vendors begin with "acme": neither is meant by "acme-sdk".
    expect(idOf('acme-sdk')).toBe('acme-sdk');
    // A status page on a platform's domain does not make the platform's hosts the vendor's.
    expect(idOf('other.statuspage.io')).toBe('other.statuspage.io');
    expect(idOf('api.example.org')).toBe('api.example.org');
    // A word that only contains a vendor's name is not it.
    expect(idOf('discordant')).toBe('discordant');
  });
});
