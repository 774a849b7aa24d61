import { describe, expect, it } from 'vitest';
import { optionsFromArgs } from './cliOptions.js';
import { SimOptionsError, bedIdsOf, resolveOptions, resolveStartMs } from './options.js';
import { Random } from './random.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('simulator options', () => {
  it('numbers beds bed-01, bed-02, … with enough digits', () => {
    expect(bedIdsOf(3)).toEqual(['bed-01', 'bed-02', 'bed-03']);
    expect(bedIdsOf(120)[0]).toBe('bed-001');
    expect(bedIdsOf(['icu-a', 'icu-b'])).toEqual(['icu-a', 'icu-b']);
  });

  it('a faster-than-real-time run of known length ends at now, so no ts lies in the future', () => {
    const start = resolveStartMs(NOW, 100, 3600, undefined);
    expect(start + 3600 * 1000).toBe(NOW + 36_000);
    // At every moment of the run, simulated time is behind the wall clock.
    for (const wallS of [0, 10, 20, 36]) expect(start + wallS * 100 * 1000).toBeLessThanOrEqual(NOW + wallS * 1000);
    expect(resolveStartMs(NOW, 1, 3600, undefined)).toBe(NOW);
    expect(resolveStartMs(NOW, 100, null, undefined)).toBe(NOW);
    expect(resolveStartMs(NOW, 100, 3600, 12345)).toBe(12345);
  });

  it('fills defaults and expands "all" faults', () => {
    const c = resolveOptions({ url: 'mqtt://localhost:1883', beds: 2, faults: ['all'] }, NOW);
    expect(c).toMatchObject({
      prefix: 'icu',
      scenario: 'mixed',
      speed: 1,
      seed: 1,
      durationS: null,
      waveforms: true,
      connection: 'per-device',
      startMs: NOW,
    });
    expect(c.faults).toHaveLength(7);
  });

  for (const [what, options, message] of [
    ['a bad url', { url: 'http://x' }, /url/],
    ['an unknown scenario', { scenario: 'flu' }, /scenario.*refractory-shock/],
    ['too much speed', { speed: 500 }, /speed/],
    ['no speed', { speed: 0 }, /speed/],
    ['a fractional seed', { seed: 1.5 }, /seed/],
    ['an unknown fault', { faults: ['gremlins'] }, /faults.*dropout/],
    ['a bad bed id', { beds: ['bed 1'] }, /beds/],
    ['duplicate bed ids', { beds: ['a', 'a'] }, /unique/],
    ['a negative duration', { durationS: -5 }, /duration/],
    ['a bad prefix', { prefix: 'a/b' }, /prefix/],
    ['history beyond what the server takes late', { historyS: 48 * 3600 }, /history.*48 h/],
    ['negative history', { historyS: -1 }, /history/],
    ['history at another speed', { historyS: 3600, speed: 10 }, /history: only at speed 1/],
    ['history with a start time', { historyS: 3600, startMs: 1 }, /history: only at speed 1 and without --start/],
  ] as const) {
    it(`refuses ${what} with a message naming the option`, () => {
      expect(() => resolveOptions({ url: 'mqtt://localhost', beds: 1, ...options } as never, NOW)).toThrow(SimOptionsError);
      expect(() => resolveOptions({ url: 'mqtt://localhost', beds: 1, ...options } as never, NOW)).toThrow(message);
    });
  }
});

describe('history', () => {
  it('starts the run that much before now, so the history ends now', () => {
    const c = resolveOptions({ url: 'mqtt://localhost', beds: 1, historyS: 6 * 3600 }, NOW);
    expect(c.startMs).toBe(NOW - 6 * 3600_000);
    expect(c.historyS).toBe(6 * 3600);
    expect(resolveOptions({ url: 'mqtt://localhost', beds: 1 }, NOW).historyS).toBe(0);
    expect(optionsFromArgs(['--history', '24h'], {})).toMatchObject({ historyS: 86_400 });
  });
});

describe('command line', () => {
  it('reads every option', () => {
    const o = optionsFromArgs(
      [
        '--url',
        'mqtt://broker:1883',
        '--username',
        'u',
        '--password',
        'p',
        '--beds',
        '3',
        '--scenario',
        'refractory-shock',
        '--speed',
        '100',
        '--seed',
        '7',
        '--duration',
        '30m',
        '--faults',
        'dropout,duplicate',
        '--prefix',
        'unit',
        '--start',
        '2026-01-15T08:00:00Z',
        '--offset',
        '2h',
        '--connection',
        'shared',
        '--no-waveforms',
      ],
      {},
    );
    expect(o).toEqual({
      url: 'mqtt://broker:1883',
      username: 'u',
      password: 'p',
      beds: 3,
      scenario: 'refractory-shock',
      speed: 100,
      seed: 7,
      durationS: 1800,
      faults: ['dropout', 'duplicate'],
      prefix: 'unit',
      startMs: Date.UTC(2026, 0, 15, 8),
      offsetS: 7200,
      connection: 'shared',
      waveforms: false,
    });
  });

  it('takes the broker and password from the environment, bed ids as a list, and --help', () => {
    const o = optionsFromArgs(['--beds', 'a,b'], { MQTT_URL: 'mqtt://env:1', DEVICE_PASSWORD: 'secret' });
    expect(o).toMatchObject({ url: 'mqtt://env:1', password: 'secret', beds: ['a', 'b'], waveforms: true });
    expect(optionsFromArgs(['--help'], {})).toBe('help');
  });

  it('refuses unknown options and bad numbers', () => {
    expect(() => optionsFromArgs(['--bedz', '3'], {})).toThrow(SimOptionsError);
    expect(() => optionsFromArgs(['--speed', 'fast'], {})).toThrow(/speed/);
    expect(() => optionsFromArgs(['--duration', '10 days'], {})).toThrow(/duration/);
  });
});

describe('seeded randomness', () => {
  it('repeats for a seed and label, differs across labels and seeds', () => {
    const draw = (seed: number, label: string) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.next()
        )(Random.of(seed, label)),
      );
    expect(draw(1, 'bed-01')).toEqual(draw(1, 'bed-01'));
    expect(draw(1, 'bed-02')).not.toEqual(draw(1, 'bed-01'));
    expect(draw(2, 'bed-01')).not.toEqual(draw(1, 'bed-01'));
  });

  it('is roughly uniform and normal', () => {
    const r = new Random(42);
    const u = Array.from({ length: 20_000 }, () => r.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b) / u.length).toBeCloseTo(0.5, 1);
    const n = Array.from({ length: 20_000 }, () => r.normal());
    const mean = n.reduce((a, b) => a + b) / n.length;
    const sd = Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length);
    expect(mean).toBeCloseTo(0, 1);
    expect(sd).toBeCloseTo(1, 1);
  });
});
