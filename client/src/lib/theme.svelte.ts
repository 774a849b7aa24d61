// The screen's colour theme: dark by default (an ICU at night), light when this browser chose it.
// The palettes are CSS custom properties in app.css (`:root` dark, `:root[data-theme='light']`);
// public/theme-init.js applies the saved choice before the first paint, this store keeps it after.
// What draws on a canvas (uPlot) cannot use CSS variables: it reads them here, once at mount and
// again when `theme.current` changes, never per frame.

export type Theme = 'dark' | 'light';

/** The same key as public/theme-init.js. */
const STORAGE_KEY = 'ecmo.theme';

export function isTheme(x: unknown): x is Theme {
  return x === 'dark' || x === 'light';
}

function saved(): Theme {
  try {
    const t = localStorage.getItem(STORAGE_KEY);
    return isTheme(t) ? t : 'dark';
  } catch {
    return 'dark';
  }
}

class ThemeState {
  /** Reactive: a component that reads it re-reads its canvas colours when the theme changes. */
  current = $state<Theme>(saved());

  constructor() {
    apply(this.current);
  }

  set(t: Theme): void {
    // The attribute first: whoever reacts to `current` reads the new palette at once.
    apply(t);
    this.current = t;
    try {
      localStorage.setItem(STORAGE_KEY, t);
    } catch {
      // Storage full or forbidden (private mode): the choice lasts until the page reloads.
    }
  }

  toggle(): void {
    this.set(this.current === 'dark' ? 'light' : 'dark');
  }
}

function apply(t: Theme): void {
  document.documentElement.dataset.theme = t;
}

export const theme = new ThemeState();

/** A CSS custom property of the page's root as it is now (with `--`), trimmed; `fallback` when unset. */
export function cssVar(name: `--${string}`, fallback = ''): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface ChartColors {
  /** Axis lines and tick labels. */
  axis: string;
  /** Grid lines and ticks. */
  grid: string;
  /** Text (titles, values) drawn on the canvas. */
  text: string;
  /** The panel the chart sits on. */
  bg: string;
}

/**
 * The colours a canvas chart draws with, from the current palette. Call it at mount and in an
 * effect that reads `theme.current`, not in a draw hook: getComputedStyle costs a style recalc.
 */
export function chartColors(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    axis: v('--chart-axis', '#9aa7b8'),
    grid: v('--chart-grid', '#1f2a3a'),
    text: v('--fg', '#e8eef6'),
    bg: v('--panel', '#121c2c'),
  };
}
