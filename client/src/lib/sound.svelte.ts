// Alarm sound settings: on or off (off by default, remembered in localStorage) and the audio pause
// (IEC 60601-1-8 AUDIO PAUSED: sound off for 2 min, the visual alarm untouched). Which tone plays is
// decided by the caller from the alarms; this module only plays it or keeps quiet.
import type { AlarmPriority } from '../../../shared/protocol.js';
import { TonePlayer } from './tones.js';

const KEY = 'ecmo.sound';
/** Audio pause length (the button says "2 min"). */
const AUDIO_PAUSE_MS = 120_000;
const PAUSE_TICK_MS = 250;

function load(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

class Sound {
  enabled = $state(load());
  /** Local clock time the audio pause ends, or null. */
  pausedUntil = $state<number | null>(null);
  /** Local clock, ticking only during a pause (for its countdown). */
  now = $state(Date.now());
  /** The audio context's state: 'suspended' until the browser allows sound, 'unavailable' without WebAudio. */
  audio = $state<AudioContextState | 'unavailable'>('suspended');

  readonly #player = new TonePlayer();
  /** The sounding alarms when the pause began: a new one ends the pause. */
  #pausedFor = new Set<string>();
  #ticker: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.audio = this.#player.state;
    // Browsers start audio only from a user gesture: any click on the page may be the first.
    addEventListener('pointerdown', () => this.enabled && this.#unlock(), { capture: true });
    addEventListener('keydown', () => this.enabled && this.#unlock(), { capture: true });
  }

  get pauseLeftMs(): number {
    return this.pausedUntil === null ? 0 : Math.max(0, this.pausedUntil - this.now);
  }

  get paused(): boolean {
    return this.pauseLeftMs > 0;
  }

  toggle(): void {
    this.enabled = !this.enabled;
    try {
      localStorage.setItem(KEY, this.enabled ? 'on' : 'off');
    } catch {
      // storage refused (private mode): the setting lasts this page only
    }
    if (this.enabled) this.#unlock();
    else this.#player.stop();
  }

  /** Silences sound for AUDIO_PAUSE_MS; `sounding` lists what sounds now (see `endPauseOnNews`). */
  pause(sounding: readonly string[]): void {
    this.#pausedFor = new Set(sounding);
    this.now = Date.now();
    this.pausedUntil = this.now + AUDIO_PAUSE_MS;
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = setInterval(() => {
      this.now = Date.now();
      if (!this.paused) this.resume();
    }, PAUSE_TICK_MS);
  }

  resume(): void {
    this.pausedUntil = null;
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
  }

  /** A new alarm (or an escalation) during the pause is news the pause did not cover: sound again. */
  endPauseOnNews(sounding: readonly string[]): void {
    if (this.paused && sounding.some((k) => !this.#pausedFor.has(k))) this.resume();
  }

  /** Plays this priority's pattern (null: quiet). */
  play(priority: AlarmPriority | null): void {
    this.#player.play(priority);
  }

  #unlock(): void {
    this.#player.unlock(() => (this.audio = this.#player.state));
    this.audio = this.#player.state;
  }
}

export const sound = new Sound();
