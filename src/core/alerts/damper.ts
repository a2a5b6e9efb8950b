import { z } from 'zod';
import { instantSchema } from '../model.js';

/*
 * Hysteresis for one alert condition of one vendor, so people hear about an episode once:
 *
 *   quiet ──(held raiseAfterMs)──▶ firing: emit `raised`
 *   firing ──(clears)──▶ settling
 *   settling ──(back)──▶ firing (a flap: nothing is sent)
 *   settling ──(clear for settleAfterMs)──▶ quiet: emit `recovered`
 *
 * A vendor going red and green five times within the settle period yields one alert and one recovery.
 */

export const damperStateSchema = z.strictObject({
  phase: z.enum(['quiet', 'firing', 'settling']),
  /** Quiet: since when the condition has held (not yet long enough); null while it is clear. */
  heldSince: instantSchema.nullable(),
  /** Firing and settling: when the episode's condition began (it names the episode). */
  episodeStart: instantSchema.nullable(),
  /** Settling: since when the condition has been clear. */
  clearSince: instantSchema.nullable(),
  /** Subjects already told about in this episode (vendor incident ids). */
  notified: z.array(z.string()).default([]),
});
export type DamperState = z.infer<typeof damperStateSchema>;

export const quietState: Readonly<DamperState> = Object.freeze({
  phase: 'quiet',
  heldSince: null,
  episodeStart: null,
  clearSince: null,
  notified: [],
});

export interface DamperInput {
  /** Whether the condition holds now. */
  active: boolean;
  /** When it began, when the source knows (a blind span's start); else the first tick that saw it. */
  since?: string | null;
}

export interface DamperTiming {
  raiseAfterMs: number;
  settleAfterMs: number;
}

export interface DamperStep {
  state: DamperState;
  /** What to send now; `episodeStart` names the episode in both cases. */
  emit:
    | null
    | { phase: 'raised'; episodeStart: string }
    | { phase: 'recovered'; episodeStart: string; clearSince: string };
}

/** One tick of the damper at `now` (pure). */
export function stepDamper(
  state: DamperState,
  input: DamperInput,
  now: Date,
  timing: DamperTiming,
): DamperStep {
  const at = now.toISOString();
  switch (state.phase) {
    case 'quiet': {
      if (!input.active) return { state: { ...quietState, notified: [] }, emit: null };
      const heldSince = input.since ?? state.heldSince ?? at;
      if (now.getTime() - Date.parse(heldSince) < timing.raiseAfterMs) {
        return { state: { ...quietState, notified: [], heldSince }, emit: null };
      }
      return {
        state: { phase: 'firing', heldSince: null, episodeStart: heldSince, clearSince: null, notified: [] },
        emit: { phase: 'raised', episodeStart: heldSince },
      };
    }
    case 'firing':
      if (input.active) return { state, emit: null };
      return { state: { ...state, phase: 'settling', clearSince: at }, emit: null };
    case 'settling': {
      if (input.active) return { state: { ...state, phase: 'firing', clearSince: null }, emit: null };
      const clearSince = state.clearSince ?? at;
      const episodeStart = state.episodeStart ?? clearSince;
      if (now.getTime() - Date.parse(clearSince) < timing.settleAfterMs) {
        return { state: { ...state, clearSince, episodeStart }, emit: null };
      }
      return {
        state: { ...quietState, notified: [] },
        emit: { phase: 'recovered', episodeStart, clearSince },
      };
    }
  }
}

/** Whether the state is worth keeping in Redis (a quiet state with nothing pending is not). */
export function isIdle(state: DamperState): boolean {
  return state.phase === 'quiet' && state.heldSince === null;
}
