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

/**
 * Lays `values` (oldest first) out across width × height. The top of the scale is the highest value,
 * but never below `floor`, so a steady trickle of errors is drawn low rather than as a wall.
 */
export function sparkline(values: readonly number[], width = 160, height = 32, floor = 1): Sparkline {
  const max = values.reduce((a, b) => Math.max(a, b), 0);
  const top = Math.max(max, floor);
  const pad = 2;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const coords = values.map((value, i) => {
    const x = pad + i * step;
    const y = top > 0 ? height - pad - (value / top) * (height - 2 * pad) : height - pad;
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
