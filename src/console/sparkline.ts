/** An inline SVG sparkline's geometry, computed here so the template only places it. */
export interface Sparkline {
  width: number;
  height: number;
  /** `points` attribute of the polyline. */
  points: string;
  /** The filled area under the line (an SVG path). */
  area: string;
  /** Highest value, and the last one, for the text beside the picture. */
  max: number;
  last: number;
  /** Every value zero: drawn as a flat line. */
  flat: boolean;
}

/** Lays `values` (oldest first) out across width × height, the highest at the top. */
export function sparkline(values: readonly number[], width = 160, height = 32): Sparkline {
  const max = values.reduce((a, b) => Math.max(a, b), 0);
  const pad = 2;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const coords = values.map((value, i) => {
    const x = pad + i * step;
    const y = max > 0 ? height - pad - (value / max) * (height - 2 * pad) : height - pad;
    return `${round(x)},${round(y)}`;
  });
  const first = `${pad},${height - pad}`;
  const last = `${round(pad + (values.length - 1) * step)},${height - pad}`;
  return {
    width,
    height,
    points: coords.join(' '),
    area: coords.length ? `M${first} L${coords.join(' L')} L${last} Z` : '',
    max,
    last: values.at(-1) ?? 0,
    flat: max === 0,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
