// Alarm tones with WebAudio, patterned after IEC 60601-1-8's auditory signals: high priority a
// burst of 3 + 2 pulses twice, repeated often; medium 3 pulses, repeated less often; low a single
// pulse, rarely. Pitch falls with priority. Where the browser has no AudioContext, or blocks it until
// a user gesture, nothing plays and nothing throws: the visual alarm is the one that always works.
import type { AlarmPriority } from '../../../shared/protocol.js';

interface TonePattern {
  /** Fundamental frequency of each pulse, Hz (IEC 60601-1-8: 150 to 1000 Hz). */
  freqHz: number;
  /** Pulse length, ms, including its rise and fall. */
  pulseMs: number;
  /** Start of each pulse within a burst, ms. */
  offsetsMs: readonly number[];
  /** A burst starts this often while the alarm sounds, ms. */
  repeatMs: number;
}

const TONE_PATTERNS: Readonly<Record<AlarmPriority, TonePattern>> = {
  high: { freqHz: 880, pulseMs: 120, offsetsMs: [0, 170, 340, 680, 850, 1700, 1870, 2040, 2380, 2550], repeatMs: 5000 },
  medium: { freqHz: 660, pulseMs: 180, offsetsMs: [0, 260, 520], repeatMs: 8000 },
  low: { freqHz: 440, pulseMs: 250, offsetsMs: [0], repeatMs: 20_000 },
};

/** Rise and fall of each pulse, s: a click-free envelope. */
const RAMP_S = 0.015;
const PEAK_GAIN = 0.25;
/** First pulse a little ahead, so its start is never in the past when scheduled. */
const LEAD_S = 0.02;

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | null {
  const w = globalThis as typeof globalThis & { webkitAudioContext?: AudioContextClass };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

export class TonePlayer {
  #ctx: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #playing: AlarmPriority | null = null;
  readonly #voices = new Set<OscillatorNode>();

  /** The context's state ('running', 'suspended' until a gesture), or 'unavailable'. */
  get state(): AudioContextState | 'unavailable' {
    return this.#ctx?.state ?? (audioContextClass() ? 'suspended' : 'unavailable');
  }

  /**
   * Creates the context, or resumes it; browsers allow sound only after a user gesture, so call this
   * from one (the sound toggle, any click). `onchange` hears the context's state changes.
   */
  unlock(onchange?: () => void): void {
    try {
      if (!this.#ctx) {
        const Ctx = audioContextClass();
        if (!Ctx) return;
        const ctx = new Ctx();
        this.#ctx = ctx;
        ctx.onstatechange = () => {
          // Sound allowed at last: the alarm already sounding is heard now, not at its next burst.
          if (ctx.state === 'running' && this.#playing) this.#burst(TONE_PATTERNS[this.#playing]);
          onchange?.();
        };
      }
      if (this.#ctx.state === 'suspended') this.#ctx.resume().catch(() => undefined);
    } catch {
      this.#ctx = null;
    }
  }

  /** Plays a priority's pattern until told otherwise; null stops. The same priority again goes on uninterrupted. */
  play(priority: AlarmPriority | null): void {
    if (priority === this.#playing) return;
    this.stop();
    if (!priority) return;
    this.#playing = priority;
    const pattern = TONE_PATTERNS[priority];
    this.#burst(pattern);
    this.#timer = setInterval(() => this.#burst(pattern), pattern.repeatMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#playing = null;
    for (const v of this.#voices) {
      try {
        v.stop();
      } catch {
        // already stopped
      }
    }
    this.#voices.clear();
  }

  #burst(p: TonePattern): void {
    const ctx = this.#ctx;
    if (!ctx || ctx.state !== 'running') return;
    try {
      const t0 = ctx.currentTime + LEAD_S;
      const pulseS = p.pulseMs / 1000;
      for (const offsetMs of p.offsetsMs) {
        const start = t0 + offsetMs / 1000;
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        // A triangle wave carries the harmonics IEC 60601-1-8 asks for, softer than a square.
        osc.type = 'triangle';
        osc.frequency.value = p.freqHz;
        gain.gain.setValueAtTime(0, start);
        gain.gain.linearRampToValueAtTime(PEAK_GAIN, start + RAMP_S);
        gain.gain.setValueAtTime(PEAK_GAIN, start + pulseS - RAMP_S);
        gain.gain.linearRampToValueAtTime(0, start + pulseS);
        osc.connect(gain).connect(ctx.destination);
        osc.onended = () => {
          this.#voices.delete(osc);
          gain.disconnect();
        };
        this.#voices.add(osc);
        osc.start(start);
        osc.stop(start + pulseS);
      }
    } catch {
      // A browser that refuses audio leaves the visual alarm alone.
    }
  }
}
