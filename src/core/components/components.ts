/**
 * Matching a service's declared vendor components ("Recording", "SMS*", "PROGRAMMABLE MESSAGING")
 * against the names a status page shows ("Recording & Streaming (EU)", "SMS, Europe").
 *
 * Names are compared as words: lower case, accents dropped, "&" read as "and", punctuation as spaces,
 * a plural "s" dropped ("Recordings" = "Recording", "APIs" = "API"; words of three letters such as
 * SMS and DNS, and words in -ss/-us/-is such as Redis, are left alone). A wanted name matches a component when every one of its words (less
 * and/the/of/for/a/an/in/on) is among the component's words, so "Recording" matches
 * "Recording & Streaming (EU)" and "Recording Transcriptions", "API" matches "REST API" but never
 * "Rapid", and "RTMP Streaming" does not match "Recording & Streaming (EU)", which never says RTMP.
 * Parenthesized parts are qualifiers (a region, a host, an acronym): they are kept apart, a wanted
 * name's words may match them ("DEX"), and a wanted qualifier must be among the component's
 * ("Recording (EU)" misses "Recording (US)"). A wanted name whose words all belong to a group name
 * matches every member of the group. Globs (`*`, `?`, case-insensitive) match the name as written,
 * the group, or "group / name". Loose on purpose: a missed component loses the vendor's evidence,
 * while an extra one is still weighed by region and time.
 */

/** A component name as matching sees it. */
export interface NormalizedComponentName {
  /** Words joined by spaces: "recording and streaming". */
  key: string;
  words: string[];
  /** Parenthesized parts, as written: ["EU"] from "Recording & Streaming (EU)". */
  qualifiers: string[];
}

/** A vendor component as a status page lists it. */
export interface ComponentRef {
  name: string;
  group?: string | null;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .trim()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** True when `name` matches one of the globs (`*`, `?`; case-insensitive), or when there are none. */
export function matchesAny(name: string, globs: readonly string[]): boolean {
  return globs.length === 0 || globs.some((glob) => globToRegExp(glob).test(name.trim()));
}

/** A vendor component that a wanted name matched, and how. */
export interface ComponentMatch {
  name: string;
  group: string | null;
  /** The wanted name or glob that matched. */
  pattern: string;
  how: 'exact' | 'glob' | 'words' | 'group';
}

const stopWords = new Set(['and', 'the', 'of', 'for', 'a', 'an', 'in', 'on']);
const rank: Record<ComponentMatch['how'], number> = { exact: 0, glob: 1, words: 2, group: 3 };

/** Splits a component name into comparable words and its parenthesized qualifiers. */
export function normalizeComponentName(name: string): NormalizedComponentName {
  const qualifiers = [...name.matchAll(/\(([^()]*)\)/g)].map((m) => m[1]!.trim()).filter(Boolean);
  const words = toWords(name.replace(/\([^()]*\)/g, ' '));
  return { key: words.join(' '), words, qualifiers };
}

function toWords(text: string): string[] {
  return text
    .replace(/\b([A-Z]{2,})s\b/g, '$1') // acronym plurals: APIs, SDKs, VMs
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) =>
      word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word) ? word.slice(0, -1) : word,
    );
}

/**
 * The vendor components (plain names, "group / name" strings as stactus writes them, or
 * `{ name, group }`) that any wanted name or glob matches, in the vendor's order, each with the
 * best-ranked match (exact, then glob, words, group; the earlier wanted name on a tie).
 */
export function matchComponents(
  vendorComponents: readonly (ComponentRef | string)[],
  wanted: readonly string[],
): ComponentMatch[] {
  const patterns = wanted.map((pattern) => ({
    pattern,
    glob: /[*?]/.test(pattern),
    ...normalizeComponentName(pattern),
  }));
  const matches: ComponentMatch[] = [];
  for (const entry of vendorComponents) {
    const { name, group } =
      typeof entry === 'string' ? splitGroup(entry) : { name: entry.name, group: entry.group ?? null };
    const component = normalizeComponentName(name);
    const groupWords = group ? toWords(group) : [];
    let best: ComponentMatch | null = null;
    for (const p of patterns) {
      const how = p.glob ? globMatch(p.pattern, name, group) : wordMatch(p, component, groupWords);
      if (how && (!best || rank[how] < rank[best.how])) best = { name, group, pattern: p.pattern, how };
    }
    if (best) matches.push(best);
  }
  return matches;
}

/** "Zoom Meetings / Recording" → group "Zoom Meetings", name "Recording"; "CDN/Cache" stays whole. */
function splitGroup(entry: string): { name: string; group: string | null } {
  const at = entry.indexOf(' / ');
  return at < 0 ? { name: entry, group: null } : { name: entry.slice(at + 3), group: entry.slice(0, at) };
}

function globMatch(glob: string, name: string, group: string | null): ComponentMatch['how'] | null {
  if (matchesAny(name, [glob]) || (group !== null && matchesAny(`${group} / ${name}`, [glob]))) return 'glob';
  return group !== null && matchesAny(group, [glob]) ? 'group' : null;
}

function wordMatch(
  pattern: NormalizedComponentName,
  component: NormalizedComponentName,
  groupWords: string[],
): ComponentMatch['how'] | null {
  const wanted = pattern.words.filter((w) => !stopWords.has(w));
  if (wanted.length === 0) return null;
  const qualifierWords = component.qualifiers.flatMap(toWords);
  if (!pattern.qualifiers.flatMap(toWords).every((w) => qualifierWords.includes(w))) return null;
  if (pattern.key === component.key) return 'exact';
  if (groupWords.length > 0 && pattern.key === [...groupWords, ...component.words].join(' ')) return 'exact';
  const own = new Set([...component.words, ...qualifierWords]);
  if (wanted.every((w) => own.has(w))) return 'words';
  const group = new Set(groupWords);
  if (wanted.every((w) => group.has(w))) return 'group';
  return wanted.every((w) => own.has(w) || group.has(w)) ? 'words' : null;
}
