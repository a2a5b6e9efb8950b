/*
 * A small inline SVG sparkline of hourly counts for the email digest. Inline SVG needs no image
 * request; clients that drop SVG still get the text alternative printed next to it.
 */

export interface SparklineOptions {
  width?: number;
  height?: number;
  /** Line colour; the area under it uses the same colour, faded. */
  color?: string;
  /** Accessible label (already plain text; it is escaped here). */
  label: string;
}

const escapeAttr = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An inline `<svg>` drawing `values` as a line over a filled area, scaled to the largest value. */
export function sparklineSvg(values: number[], options: SparklineOptions): string {
  const width = options.width ?? 240;
  const height = options.height ?? 40;
  const color = options.color ?? '#2563eb';
  const pad = 2;
  const max = Math.max(1, ...values);
  const n = Math.max(values.length, 2);
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (n - 1);
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  const points = (values.length ? values : [0, 0]).map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const base = (height - pad).toFixed(1);
  const area = `${x(0).toFixed(1)},${base} ${points.join(' ')} ${x(points.length - 1).toFixed(1)},${base}`;
  const label = escapeAttr(options.label);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" style="display:block">` +
    `<title>${label}</title>` +
    `<line x1="0" y1="${base}" x2="${width}" y2="${base}" stroke="#d1d5db" stroke-width="1"/>` +
    `<polygon points="${area}" fill="${color}" fill-opacity="0.15"/>` +
    `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>` +
    `</svg>`
  );
}
