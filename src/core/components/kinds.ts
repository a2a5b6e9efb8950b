import { normalizeComponentName } from './components.js';

/**
 * Kinds of product that vendors and their customers name differently: a config says "object storage"
 * where the page says "R2", "Edge Network" where it says "CDN", "Serverless Functions" where it says
 * "Functions". Read only when no component name matches, to tell a naming difference (the incident
 * is about what we use, in the vendor's words) from an incident about another product of theirs.
 *
 * Each kind lists word sequences as `normalizeComponentName` writes them (lower case, plural "s"
 * dropped); a name is of a kind when its words contain one of them in order.
 */
const KINDS: Record<string, readonly string[]> = {
  'object storage': [
    'object storage',
    'blob storage',
    'storage',
    'bucket',
    's3',
    'r2',
    'gcs',
    'blob',
    'spaces',
    'b2',
  ],
  CDN: ['cdn', 'cache', 'caching', 'edge network', 'edge cache', 'content delivery', 'cloudfront'],
  'serverless functions': ['function', 'serverless', 'lambda', 'worker', 'cloud run'],
  database: ['database', 'db', 'postgres', 'postgresql', 'mysql', 'sql', 'd1', 'rds', 'mongodb'],
  DNS: ['dns', 'domain name', 'resolver', 'route 53'],
  email: ['email', 'e mail', 'smtp', 'mail'],
  'sign-in': ['auth', 'authentication', 'login', 'sign in', 'sso', 'identity', 'oauth'],
  compute: ['compute', 'virtual machine', 'vm', 'droplet', 'ec2', 'instance'],
  Kubernetes: ['kubernetes', 'k8s', 'gke', 'eks', 'aks'],
  'load balancing': ['load balancer', 'load balancing'],
  video: ['video', 'live streaming', 'rtmp', 'hls'],
  voice: ['voice', 'sip', 'telephony'],
  SMS: ['sms', 'text message', 'messaging', 'mms'],
  payments: ['payment', 'checkout', 'card'],
  queues: ['queue', 'pub sub', 'pubsub', 'sqs'],
};

const TERMS: readonly { kind: string; words: string[] }[] = Object.entries(KINDS).flatMap(([kind, terms]) =>
  terms.map((t) => ({ kind, words: normalizeComponentName(t).words })),
);

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= words.length; i++) {
    if (run.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

/** The kinds of product a component name (or "group / name") stands for; empty when none is known. */
export function kindsOf(name: string): Set<string> {
  const words = normalizeComponentName(name).words;
  const out = new Set<string>();
  for (const t of TERMS) if (containsRun(words, t.words)) out.add(t.kind);
  return out;
}

/** A vendor component and one of ours naming the same kind of product, with that kind. */
export interface KindMatch {
  vendorComponent: string;
  ours: string;
  kind: string;
}

/** Pairs of vendor components and our names that are the same kind of product, vendor order first. */
export function matchKinds(vendorComponents: readonly string[], wanted: readonly string[]): KindMatch[] {
  const ours = wanted.map((w) => ({ name: w, kinds: kindsOf(w) }));
  const out: KindMatch[] = [];
  for (const component of vendorComponents) {
    const kinds = kindsOf(component);
    for (const o of ours) {
      const kind = [...o.kinds].find((k) => kinds.has(k));
      if (kind) {
        out.push({ vendorComponent: component, ours: o.name, kind });
        break;
      }
    }
  }
  return out;
}
