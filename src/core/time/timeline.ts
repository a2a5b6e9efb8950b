import { findTimes, type ProseTimeOptions } from './prose-time.js';

/** One dated step of an incident: its instant (and end, for a window) and the words that stated it. */
export interface TimelineEntry {
  at: string;
  end?: string;
  /** The sentence or line with the time; for a Statuspage update, its label and body. */
  text: string;
  /** The Statuspage update label for a "Posted …" entry: investigating, identified, monitoring, resolved, … */
  status?: string;
}

const postedLine = /^[ \t]*Posted[ \t]+(?:on[ \t]+)?\S.*$/i;
const labels = new Set([
  'investigating',
  'identified',
  'monitoring',
  'update',
  'resolved',
  'postmortem',
  'scheduled',
  'in progress',
  'verifying',
  'completed',
]);
const summaryLength = 280;

/**
 * The dated steps of a postmortem or incident report, oldest first. A Statuspage incident page (bodies
 * each followed by "Posted <date> - <time> <zone>") gives one entry per update, and the times inside a
 * body are read against its own post; other text is read in order, each time taking the date and zone
 * of the mentions before it (TokBox: "On 2/23/2017, 12:08pm Pacific Time" … "At 1:05 PT").
 */
export function parseTimeline(text: string, options: ProseTimeOptions = {}): TimelineEntry[] {
  const base = options.reference ?? firstInstant(text, options.zoneHint);
  const entries: TimelineEntry[] = [];
  let body: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const posted = postedLine.test(line)
      ? findTimes(line, { ...options, reference: base }).find((m) => m.precision === 'minute')
      : undefined;
    if (!posted) {
      body.push(line);
      continue;
    }
    entries.push({ at: posted.at, ...update(body) });
    // The post goes first so the body's bare times take its date, zone and neighbourhood.
    entries.push(...timesIn(body.join('\n'), { ...options, reference: new Date(posted.at) }, line));
    body = [];
  }
  entries.push(...timesIn(body.join('\n'), { ...options, reference: base }));
  return dedupe(entries).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function firstInstant(text: string, zoneHint: string | undefined): Date | undefined {
  const first = findTimes(text, { zoneHint })[0];
  return first ? new Date(first.at) : undefined;
}

function timesIn(body: string, options: ProseTimeOptions, lead?: string): TimelineEntry[] {
  const prefix = lead === undefined ? '' : `${lead}\n`;
  const text = prefix + body;
  return findTimes(text, options)
    .filter((m) => m.precision === 'minute' && m.span.from >= prefix.length)
    .map((m) => ({ at: m.at, ...(m.end ? { end: m.end } : {}), text: sentenceAround(text, m.span) }));
}

/** A Statuspage update block: the label line ("Resolved") and the body after it, shortened. */
function update(lines: string[]): Pick<TimelineEntry, 'text' | 'status'> {
  const labelAt = lines.findIndex((line) => labels.has(line.trim().toLowerCase()));
  const label = labelAt >= 0 ? lines[labelAt]!.trim() : undefined;
  const rest = collapse(lines.slice(labelAt + 1).join(' '));
  const body = rest.length > summaryLength ? `${rest.slice(0, summaryLength - 1).trimEnd()}…` : rest;
  return {
    text: label ? `${label}: ${body}`.trim() : body,
    ...(label ? { status: label.toLowerCase().replace(/\s+/g, '_') } : {}),
  };
}

/** The sentence holding a span, within its line; bullets dropped. */
function sentenceAround(text: string, span: { from: number; to: number }): string {
  const lineStart = text.lastIndexOf('\n', span.from - 1) + 1;
  const lineEnd = text.indexOf('\n', span.to);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const [from, to] = [span.from - lineStart, span.to - lineStart];
  let start = 0;
  for (const m of line.matchAll(/[.!?]["”')\]]?\s+(?=\S)/g)) {
    if (m.index + m[0].length <= from) start = m.index + m[0].length;
  }
  const stop = /[.!?](?=["”')\]]?(?:\s|$))/g;
  stop.lastIndex = to;
  const end = stop.exec(line);
  const sentence = line.slice(start, end ? end.index + 1 : line.length);
  return collapse(sentence.replace(/^[\s•*\-–]+/, ''));
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function dedupe(entries: TimelineEntry[]): TimelineEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.at}|${e.end ?? ''}|${e.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
