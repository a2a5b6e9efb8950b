/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: every sample, and each family's declared type. */
export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const familyTypes = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  // As Prometheus reads them (Go's ParseFloat): any case; prom-client writes `Nan`.
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return value;
}

/** `{a="x",b="y\"z"}` from `start` (at the `{`); answers the labels and the index after the `}`. */
function parseLabels(text: string, start: number, line: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq);
    if (eq < 0 || !labelName.test(name)) throw new Error(`line ${line}: bad label name at ${i}`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label ${name} value is not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        value += next === 'n' ? '\n' : next;
      } else value += text[j];
    }
    if (j >= text.length) throw new Error(`line ${line}: unterminated value of label ${name}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} repeated`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
  return [labels, i + 1];
}

/** The family a sample belongs to: histogram samples end in _bucket, _sum or _count. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' || types.get(base) === 'summary' ? base : undefined;
}

/**
 * Parses the Prometheus text format (0.0.4) strictly: HELP and TYPE before a family's samples, valid
 * names, quoted label values, numeric values; every sample in a declared family. Throws on the first
 * problem, naming the line.
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    if (raw.startsWith('#')) {
      const [, keyword, name, ...rest] = raw.split(' ');
      if (keyword === 'TYPE') {
        if (!name || !metricName.test(name)) throw new Error(`line ${line}: bad metric name in TYPE`);
        const type = rest.join(' ');
        if (!familyTypes.has(type)) throw new Error(`line ${line}: unknown type ${type}`);
        if (types.has(name)) throw new Error(`line ${line}: ${name} declared twice`);
        types.set(name, type);
      } else if (keyword === 'HELP' && (!name || !metricName.test(name))) {
        throw new Error(`line ${line}: bad metric name in HELP`);
      }
      return;
    }
    const brace = raw.indexOf('{');
    const space = raw.indexOf(' ');
    const nameEnd = brace >= 0 && brace < space ? brace : space;
    const name = raw.slice(0, nameEnd);
    if (!metricName.test(name)) throw new Error(`line ${line}: bad metric name ${JSON.stringify(name)}`);
    let labels: Record<string, string> = {};
    let rest = nameEnd;
    if (raw[nameEnd] === '{') [labels, rest] = parseLabels(raw, nameEnd, line);
    const [valueText, timestamp, extra] = raw.slice(rest).trim().split(' ');
    if (extra !== undefined || (timestamp !== undefined && !/^-?\d+$/.test(timestamp)))
      throw new Error(`line ${line}: trailing text after the value`);
    if (!familyOf(name, types)) throw new Error(`line ${line}: sample ${name} has no TYPE before it`);
    samples.push({ name, labels, value: parseValue(valueText ?? '', line) });
  });
  return { samples, types };
}

/** The value of the one sample named `name` whose labels include `labels`; throws if none or several. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number {
  const found = matching(exposition, name, labels);
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]!.value;
}

/** Every sample named `name` whose labels include `labels`. */
export function matching(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}
