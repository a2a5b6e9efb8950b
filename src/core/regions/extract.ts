import { AZURE_CONTEXT_ALIASES } from './data/azure.js';
import { ISO_CODE_ALIASES } from './data/countries.js';
import { GLOBAL_SCOPE_NOUNS, GROUP_ALIASES } from './data/macros.js';
import { NON_REGION_PHRASES } from './data/non-regions.js';
import { AMBIGUOUS_CODES, NOT_DATACENTER_PREFIXES } from './data/sites.js';
import { allRegions, broadAncestors, getRegion } from './taxonomy.js';
import type { RegionId, RegionMention } from './types.js';
import { memoByText } from '../memo.js';

/*
 * Matching rules (case-insensitive unless said otherwise):
 * - Text is cut into word tokens (Latin letters and digits, diacritics folded; other scripts are
 *   tokens of their own) plus "(" and ")"; every alias is cut the same way into a token trie built
 *   once at load. At each token the longest alias wins ("East US 2" before "East US", "Europe
 *   (Frankfurt)" before "Europe"). A multi-word alias never spans , ; | & / + " - ", a line break or
 *   a sentence end, so "the UK. South…" is not Azure's "UK South". URLs and e-mail addresses are
 *   skipped; a word glued to a hostname ("phoenix.new") is not a region.
 * - Short codes (aliases of at most three capital letters: US, EU, NA, UK, FRA, SJC, NYC…) count
 *   when written in capitals, or in a code-like context: "(fra)", "- fra", "fra region", a label
 *   that is only a three-letter code. So the pronoun "us", "na" or "Status" never match. In
 *   all-caps text, and for codes that are also words or other abbreviations ("MAN", "SEA", "DEL";
 *   ISO codes such as "JP", "DE"), capitals are not enough: they also need that context, a
 *   preposition ("in SEA") or a neighbouring code ("SEA, SJC"). Lower-case airport codes count
 *   after a preposition or next to another code ("in iad and dfw"). A three-letter code plus
 *   digits is a datacenter name ("FRA1", "nyc3", "dub1"); two letters plus digits is a vendor home
 *   region ("US1", "IE1") under the same case rules.
 * - "Global" alone counts as a label of its own ("App Platform / Global"), after a verb, or before
 *   a scope noun ("Global Outage"); not as an adjective ("a global value", "Global Config").
 * - Cloud codes: "prod-eu-west-2" is a vendor cell name, not AWS (the shorter "EU West" may still
 *   count); an AWS code in a text about Azure or GCP only (not AWS) is the vendor's own name;
 *   Azure's other word order ("Azure US East", "EUROPE_WEST") counts only next to the word Azure.
 * - A place right after a city, joined by a comma, that neither contains nor lies in that city
 *   qualifies it and is dropped ("Atlanta, Georgia"; "Cleveland, East US"). A place followed by
 *   "time" ("Beijing time") or "/Pacific" is a time zone.
 * - Negation, per clause (clauses end at . ; ! ? line breaks and at but/however/while/although):
 *   a negative statement ("not affecting X", "no impact to X", "functioning normally in X", "X is
 *   not affected", "X: unaffected") negates X; a complement ("outside (of) X", "except X", "other
 *   than X", "excluding X") negates X; both together affirm it ("regions other than IAD are not
 *   impacted" → IAD), as does "other …" before a negative statement ("Other zones in US-EAST-1 are
 *   not affected" → US-EAST-1). A negation reaches along a list ("Europe and Asia are unaffected").
 */

interface Target {
  ids: RegionId[];
  /** Capital-letter code (three letters at most, or two plus digits): the case and context rules apply. */
  code: boolean;
  ambiguous: boolean;
  /** The alias is a cloud region code itself ("eu-west-1"). */
  cloud: 'aws' | 'gcp' | 'azure' | null;
  /** The bare word "global". */
  globalWord: boolean;
  /** Counts only in a text that matches this (Azure's other word order). */
  context: RegExp | null;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  targets: Target[];
}

interface Token {
  norm: string;
  start: number;
  end: number;
  /** A separator ( , ; | & / + " - " line break, sentence end) lies between this token and the previous one. */
  breakBefore: boolean;
}

/** A match in the text, before negation. */
interface Found {
  ids: RegionId[];
  start: number;
  end: number;
  code: boolean;
  /** An ambiguous code waiting for a neighbouring code to confirm it. */
  pending: boolean;
}

const OTHER_SCRIPTS = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Arabic}\p{sc=Thai}`;
const TOKEN_RE = new RegExp(
  String.raw`[${OTHER_SCRIPTS}]+|(?:(?![${OTHER_SCRIPTS}])[\p{L}\p{N}\p{M}])+|[()]`,
  'gu',
);
const MASK_RE = /\bhttps?:\/\/\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.]+/gi;
const BREAK_SEP = /[,;!?|\n&+/–—]|\s-\s/;
const AMBIGUOUS = new Set([...AMBIGUOUS_CODES, ...ISO_CODE_ALIASES.map((c) => c.toUpperCase())]);
const NOT_DATACENTER = new Set(NOT_DATACENTER_PREFIXES.map((c) => c.toLowerCase()));
const REGION_NOUN_AFTER =
  /^\s*(?:regions?|datacent(?:er|re)s?|data\s+cent(?:er|re)s?|dcs?|pops?|colos?|locations?|clusters?|zones?|sites?|edge|facility|network(?:ing)?|hosting|realm|probes?|based|home\s+region)\b/i;
const PREPOSITION_BEFORE = /\b(?:in|from|to|at|via|near|through|into)\s+$/i;
const SEPARATOR_BEFORE = /(?:^|\s)[-–—/|:]\s*$/;
const SEPARATOR_AFTER = /^\s*[-–—/|:](?:\s|$)/;
const ENV_PREFIX_BEFORE =
  /(?:^|[^\p{L}\p{N}])(?:prod|production|staging|stage|dev|test|qa|preprod|sandbox)[-_]$/iu;
const OTHER_CLOUD = /\b(?:azure|gcp|google\s+cloud)\b/i;
const AWS_NAMED = /\b(?:aws|amazon)\b/i;
const AZURE_NAMED = /\bazure\b/i;
const GLOBAL_SCOPE_AFTER = new RegExp(String.raw`^\s+(?:${GLOBAL_SCOPE_NOUNS.join('|')})\b`, 'i');
const GLOBAL_VERB_BEFORE = /\b(?:is|are|was|were|be|been|went)\s+$/i;
const LABEL_EDGE_BEFORE = /(?:^|[-–—/|:[(*•>])\s*$/;
const LABEL_EDGE_AFTER = /^\s*(?:$|[-–—/|:\])*])/;
const TIME_ZONE_AFTER =
  /^(?:\s+(?:standard\s+|daylight\s+|summer\s+)?time\b|\/(?:Pacific|Eastern|Central|Mountain|Alaska|Hawaii|Arizona)\b)/i;
const LIST_JOINER = /^\s*(?:,|&|\/|and|or|,\s*and|,\s*or)?\s*$/i;

function fold(s: string): string {
  const lower = s.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) > 127) return lower.normalize('NFD').replace(/\p{M}/gu, '');
  }
  return lower;
}

function maskedSpans(text: string): [number, number][] {
  // Cheap pre-check: most texts hold no URL or address, and the mask regex is the costly part.
  if (!text.includes('://') && !text.includes('www.') && !text.includes('@')) return [];
  return [...text.matchAll(MASK_RE)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
}

function tokenize(text: string): Token[] {
  const masked = maskedSpans(text);
  const tokens: Token[] = [];
  let prevEnd = 0;
  let prevLen = 0;
  const re = new RegExp(TOKEN_RE.source, TOKEN_RE.flags);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    if (masked.length > 0 && masked.some(([a, b]) => start >= a && start < b)) continue;
    const sep = start - prevEnd === 1 && text[prevEnd] === ' ' ? ' ' : text.slice(prevEnd, start);
    // "N. Virginia" and "U.S. East" keep going; a period after a real word ends the sentence.
    const breakBefore = sep !== ' ' && (BREAK_SEP.test(sep) || (prevLen >= 3 && /\.(?:\s|$)/.test(sep)));
    tokens.push({ norm: fold(m[0]), start, end: start + m[0].length, breakBefore });
    prevEnd = start + m[0].length;
    prevLen = m[0].length;
  }
  return tokens;
}

function classify(alias: string, ids: RegionId[], context: RegExp | null = null): Target {
  const letters = alias.replace(/[^\p{L}]/gu, '');
  // Twilio/Datadog home regions ("US1", "IE1") follow the code rules too: "in1 hour" is a typo.
  const digits = /\d/.test(alias);
  const code = letters.length > 0 && letters.length <= (digits ? 2 : 3) && letters === letters.toUpperCase();
  const only = ids.length === 1 ? (ids[0] as string) : '';
  const cloudMatch = /^(aws|gcp|azure):(.+)$/.exec(only);
  const cloud = cloudMatch && cloudMatch[2] === alias ? (cloudMatch[1] as Target['cloud']) : null;
  return {
    ids,
    code,
    ambiguous: code && !digits && AMBIGUOUS.has(letters),
    cloud,
    globalWord: fold(alias) === 'global',
    context,
  };
}

function buildTrie(): TrieNode {
  const root: TrieNode = { next: new Map(), targets: [] };
  const insert = (alias: string, target: Target): void => {
    let node = root;
    for (const t of tokenize(alias)) {
      let child = node.next.get(t.norm);
      if (!child) node.next.set(t.norm, (child = { next: new Map(), targets: [] }));
      node = child;
    }
    const plain = node.targets.find((t) => t.context === null);
    if (target.context) node.targets.unshift(target);
    else if (!plain) node.targets.push(target);
    // Two nodes sharing an alias: keep the more specific one ("Hong Kong" the city, not the SAR).
    else if (
      target.ids.length === 1 &&
      plain.ids.every((e) => broadAncestors(target.ids[0] as string).includes(e))
    ) {
      node.targets[node.targets.indexOf(plain)] = target;
    }
  };
  for (const node of allRegions())
    for (const alias of node.aliases) insert(alias, classify(alias, [node.id]));
  for (const g of GROUP_ALIASES) insert(g.alias, classify(g.alias, g.ids));
  for (const phrase of NON_REGION_PHRASES) insert(phrase, classify(phrase, []));
  for (const a of AZURE_CONTEXT_ALIASES) insert(a.alias, classify(a.alias, [`azure:${a.code}`], AZURE_NAMED));
  return root;
}

const TRIE = buildTrie();

function isUpper(raw: string): boolean {
  return raw === raw.toUpperCase() && raw !== raw.toLowerCase();
}

function isShouty(text: string): boolean {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  return upper >= 12 && lower < upper / 10;
}

/** "(fra)", "[FRA]", "`fra`". */
function enclosed(text: string, start: number, end: number): boolean {
  return (
    /[([`]\s*$/.test(text.slice(Math.max(0, start - 3), start)) && /^\s*[)\]`]/.test(text.slice(end, end + 3))
  );
}

/** "(fra)", "- FRA", "FRA -", "FRA datacenter", or the whole label is a three-letter code. */
function codeContext(text: string, start: number, end: number): boolean {
  // Bounded windows keep this O(1) per candidate however long the text is.
  const before = text.slice(Math.max(0, start - 8), start);
  const after = text.slice(end, end + 24);
  if (enclosed(text, start, end)) return true;
  if (SEPARATOR_BEFORE.test(before) || SEPARATOR_AFTER.test(after)) return true;
  if (REGION_NOUN_AFTER.test(after)) return true;
  // A label that is only an airport code ("fra"); a bare "na" or "us" stays a word.
  return end - start === 3 && text.trim().length === 3;
}

/** A word inside a hostname or dotted identifier ("phoenix.new", "api.eu.example.com"). */
function inDottedName(text: string, start: number, end: number): boolean {
  return (
    /[\p{L}\p{N}]{2}\.$/u.test(text.slice(Math.max(0, start - 3), start)) ||
    /^\.[\p{L}\p{N}]{2}/u.test(text.slice(end, end + 3))
  );
}

function globalScope(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 12), start);
  const after = text.slice(end, end + 24);
  if (GLOBAL_SCOPE_AFTER.test(after) || GLOBAL_VERB_BEFORE.test(before)) return true;
  return LABEL_EDGE_BEFORE.test(before) && LABEL_EDGE_AFTER.test(after);
}

/** Per-text facts computed at most once. */
class TextFacts {
  private shoutyMemo: boolean | undefined;
  constructor(readonly text: string) {}
  get shouty(): boolean {
    return (this.shoutyMemo ??= isShouty(this.text));
  }
}

type Verdict = 'yes' | 'pending' | 'no';

function judge(facts: TextFacts, t: Target, start: number, end: number, singleToken: boolean): Verdict {
  const { text } = facts;
  if (t.context && !t.context.test(text)) return 'no';
  if (t.cloud) {
    if (ENV_PREFIX_BEFORE.test(text.slice(Math.max(0, start - 12), start))) return 'no';
    return t.cloud === 'aws' && OTHER_CLOUD.test(text) && !AWS_NAMED.test(text) ? 'no' : 'yes';
  }
  if (singleToken && inDottedName(text, start, end)) return 'no';
  if (t.globalWord) return globalScope(text, start, end) ? 'yes' : 'no';
  if (!t.code) return 'yes';
  const raw = text.slice(start, end);
  // A word-like code not in capitals ("for", "Sin") counts only in parentheses or as the whole label.
  if (t.ambiguous && !isUpper(raw))
    return enclosed(text, start, end) || text.trim().length === end - start ? 'yes' : 'no';
  if (codeContext(text, start, end)) return 'yes';
  const afterPreposition = PREPOSITION_BEFORE.test(text.slice(Math.max(0, start - 10), start));
  if (!isUpper(raw)) {
    if (/\d/.test(raw)) return afterPreposition ? 'yes' : 'no';
    // Lower-case airport codes: "capacity issues in iad and dfw".
    if (raw.length !== 3 || t.ambiguous || !/^(?:site|city):/.test(t.ids[0] ?? '')) return 'no';
    return afterPreposition ? 'yes' : 'pending';
  }
  if (!t.ambiguous && (!facts.shouty || /\d/.test(raw))) return 'yes';
  return afterPreposition ? 'yes' : 'pending';
}

function matchAt(facts: TextFacts, tokens: Token[], i: number): (Found & { last: number }) | null {
  const candidates: { node: TrieNode; last: number }[] = [];
  let node: TrieNode | undefined = TRIE;
  for (let j = i; j < tokens.length && node; j++) {
    const tok = tokens[j] as Token;
    if (j > i && tok.breakBefore) break;
    let child: TrieNode | undefined = node.next.get(tok.norm);
    // Zones end in the region's digit plus a letter: "us-east-1a", "us-central1-b", "us-central1a".
    if (!child && j > i && /\d[a-f]$/.test(tok.norm)) child = node.next.get(tok.norm.slice(0, -1));
    node = child;
    if (node && node.targets.length > 0) candidates.push({ node, last: j });
  }
  const start = (tokens[i] as Token).start;
  // Longest first; within one alias, its targets in order (contextual ones first).
  for (let k = candidates.length - 1; k >= 0; k--) {
    const { node: matched, last } = candidates[k] as { node: TrieNode; last: number };
    const end = (tokens[last] as Token).end;
    for (const target of matched.targets) {
      const verdict = judge(facts, target, start, end, last === i);
      if (verdict !== 'no')
        return { ids: target.ids, start, end, code: target.code, pending: verdict === 'pending', last };
    }
  }
  // Datacenter names: a three-letter code plus a number ("FRA1", "nyc3", "dub1").
  const tok = tokens[i] as Token;
  const m = /^([a-z]{3})(\d{1,2})$/.exec(tok.norm);
  const prefix = m?.[1] ?? '';
  const target =
    m && !NOT_DATACENTER.has(prefix) ? TRIE.next.get(prefix)?.targets.find((t) => t.code) : undefined;
  if (target) return { ids: target.ids, start: tok.start, end: tok.end, code: true, pending: false, last: i };
  return null;
}

/** Pending codes count when listed next to an accepted code ("SEA, SJC, LAX"; "iad and dfw"). */
function confirmPending(found: Found[], text: string): Found[] {
  const joined = (a: Found, b: Found): boolean => LIST_JOINER.test(text.slice(a.end, b.start));
  const accepted = (n: Found | undefined): n is Found => n !== undefined && n.code && !n.pending;
  // One sweep each way carries a confirmation along a whole list.
  for (let k = 1; k < found.length; k++) {
    const f = found[k] as Found;
    const prev = found[k - 1];
    if (f.pending && accepted(prev) && joined(prev, f)) f.pending = false;
  }
  for (let k = found.length - 2; k >= 0; k--) {
    const f = found[k] as Found;
    const next = found[k + 1];
    if (f.pending && accepted(next) && joined(f, next)) f.pending = false;
  }
  return found.filter((f) => !f.pending);
}

/** "Atlanta, Georgia", "Cleveland, East US": a place after a city it is unrelated to only qualifies it. */
function dropQualifiers(found: Found[], text: string): Found[] {
  return found.filter((f, k) => {
    const prev = found[k - 1];
    const id = f.ids[0] ?? '';
    const prevId = prev?.ids[0] ?? '';
    if (!prev || f.ids.length !== 1 || /^(?:city|site):/.test(id) || !/^(?:city|site):/.test(prevId))
      return true;
    if (!/^\s*,\s*$/.test(text.slice(prev.end, f.start))) return true;
    return broadAncestors(prevId).includes(id) || broadAncestors(id).includes(prevId);
  });
}

function isTimeZone(f: Found, text: string): boolean {
  return TIME_ZONE_AFTER.test(text.slice(f.end, f.end + 24));
}

const NEGATIVE_BEFORE = new RegExp(
  [
    String.raw`(?:\bnot|n't|\bnever)\s+(?:(?:be|been|being|yet|currently|directly|expected\s+to)\s+)*(?:affect|affecting|impact|impacting)\b(?!\s+all\b)`,
    String.raw`\bno\s+(?:known\s+|customer\s+|further\s+)?(?:impact|effect|disruption)\s+(?:to|on|for|in)\b`,
    String.raw`\b(?:functioning|operating|working|running)\s+(?:normally|as\s+(?:normal|expected))\s+(?:in|for|at)\b`,
    String.raw`\b(?:returning|returned|back)\s+to\s+normal\s+(?:in|for|at)\b`,
    String.raw`\b(?:unaffected|unimpacted)\s*:`,
  ].join('|'),
  'i',
);
const NEGATIVE_AFTER = new RegExp(
  String.raw`^\W*(?:[\p{L}\p{N}]+\s+){0,3}?(?:(?:unaffected|unimpacted)\b|(?:(?:is|are|was|were|has|have|had|remains?|remained|will|did|does|do)\s+)?(?:(?:been|be|still|also)\s+)*not\s+(?:been\s+)?(?:affected|impacted)\b)`,
  'iu',
);
const COMPLEMENT_BEFORE =
  /\b(?:outside|except|excluding|excludes|beyond|other\s+than|apart\s+from|with\s+the\s+exception\s+of|not\s+in|not\s+within)(?:\s+(?:of|for|the|in|from|our|all|any))*\s*$/i;
const OTHER_BEFORE = /\b(?:other|remaining)\b(?!\s+than)/i;
const CLAUSE_END = /[;!?\n]|\.(?=\s|$)|\b(?:but|however|whereas|while|although|though)\b/gi;

function clauseBounds(text: string): number[] {
  const bounds: number[] = [];
  for (const m of text.matchAll(CLAUSE_END)) {
    // "N. Virginia", "St. Louis", "U.S." do not end a clause.
    if (m[0] === '.' && !/[\p{L}\p{N}]{3}$/u.test(text.slice(Math.max(0, m.index - 3), m.index))) continue;
    bounds.push(m.index);
  }
  return bounds;
}

/** For each match, whether the text says that region is not affected. */
function negatedMentions(found: Found[], text: string): boolean[] {
  if (found.length === 0) return [];
  const bounds = clauseBounds(text);
  // Matches come in text order, so one pointer walks the clause bounds; the windows are capped so
  // a huge clause (a long list with no full stop) stays linear.
  let b = 0;
  const parts = found.map((f): [string, string] => {
    while (b < bounds.length && (bounds[b] as number) < f.start) b++;
    const from = Math.max(b > 0 ? (bounds[b - 1] as number) + 1 : 0, f.start - 240);
    let to = text.length;
    for (let j = b; j < bounds.length; j++) {
      if ((bounds[j] as number) >= f.end) {
        to = bounds[j] as number;
        break;
      }
    }
    return [text.slice(from, f.start), text.slice(f.end, Math.min(to, f.end + 120))];
  });
  const negative = parts.map(([before, after]) => NEGATIVE_BEFORE.test(before) || NEGATIVE_AFTER.test(after));
  const complement = parts.map(([before]) => COMPLEMENT_BEFORE.test(before));
  const joined = (k: number): boolean =>
    LIST_JOINER.test(text.slice((found[k] as Found).end, (found[k + 1] as Found).start));
  // A list shares its statement: "Europe and Asia are not affected", "outside the EU and US".
  for (let k = found.length - 2; k >= 0; k--) if (negative[k + 1] && joined(k)) negative[k] = true;
  for (let k = 0; k < found.length - 1; k++) if (complement[k] && joined(k)) complement[k + 1] = true;
  return found.map((_, k) => {
    const flip = complement[k] === true || OTHER_BEFORE.test(parts[k]?.[0] ?? '');
    return negative[k] ? !flip : complement[k] === true;
  });
}

/** Every region mentioned in `text`, in order, with the words that named it and whether it is negated. */
export function extractRegions(text: string): RegionMention[] {
  return mentionsIn(text).map((m) => ({ ...m }));
}

// Titles, component names and update bodies come back on every poll of a page: each is read once.
const mentionsIn = memoByText(readRegions, { maxEntries: 50_000, maxChars: 16_000_000, maxKeyChars: 64_000 });

function readRegions(text: string): readonly RegionMention[] {
  const tokens = tokenize(text);
  const facts = new TextFacts(text);
  let found: Found[] = [];
  for (let i = 0; i < tokens.length;) {
    const m = matchAt(facts, tokens, i);
    if (m) {
      found.push({ ids: m.ids, start: m.start, end: m.end, code: m.code, pending: m.pending });
      i = m.last + 1;
    } else i++;
  }
  found = dropQualifiers(confirmPending(found, text), text).filter(
    (f) => f.ids.length > 0 && !isTimeZone(f, text),
  );
  const negated = negatedMentions(found, text);
  return found.flatMap((f, k) =>
    f.ids.map((id) => ({ id, raw: text.slice(f.start, f.end), negated: negated[k] === true })),
  );
}

/** Drops every id that is an ancestor (or loose ancestor) of another id in the list. */
export function mostSpecific(ids: RegionId[]): RegionId[] {
  const covered = new Set(ids.flatMap((id) => broadAncestors(id)));
  return ids.filter((id) => !covered.has(id));
}

/** The distinct regions a text (or several) says are affected, most specific only. */
export function canonicalRegions(text: string | string[]): RegionId[] {
  const ids: RegionId[] = [];
  for (const t of typeof text === 'string' ? [text] : text) {
    for (const m of extractRegions(t)) if (!m.negated && !ids.includes(m.id)) ids.push(m.id);
  }
  return mostSpecific(ids);
}

/**
 * Reads a region label as configured by a team ("eu", "us-east-1", "Europe", "macro:europe"): a
 * canonical id is kept, a label that is exactly one alias resolves without the case rules prose
 * needs (a label "eu" is not a pronoun), anything else goes through `canonicalRegions`.
 */
export function resolveRegionLabel(label: string): RegionId[] {
  const trimmed = label.trim();
  if (getRegion(trimmed)) return [trimmed];
  let node: TrieNode | undefined = TRIE;
  for (const t of tokenize(trimmed)) node = node?.next.get(t.norm);
  const target = node?.targets.find((t) => t.context === null && t.ids.length > 0);
  if (target) return [...target.ids];
  return canonicalRegions(trimmed);
}
