// Keyboard navigation of the ward, pure: which key does what, and where focus goes in the grid of bed
// tiles as it is laid out on screen (a CSS grid whose column count follows the width). App.svelte
// listens and acts; the unit tests pin these down.

/** A tile's box on screen (getBoundingClientRect's fields). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'first' | 'last';

/** Tiles in rows as seen: boxes whose tops differ by less than half the smaller height share a row. */
function rowsOf(boxes: readonly Box[]): number[][] {
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a].top - boxes[b].top || boxes[a].left - boxes[b].left);
  const rows: number[][] = [];
  for (const i of order) {
    const row = rows.at(-1);
    const head = row ? boxes[row[0]] : undefined;
    if (row && head && Math.abs(boxes[i].top - head.top) < Math.min(boxes[i].height, head.height) / 2) row.push(i);
    else rows.push([i]);
  }
  for (const row of rows) row.sort((a, b) => boxes[a].left - boxes[b].left);
  return rows;
}

/**
 * The tile to focus after `move` from tile `from` (indexes into `boxes`). Left and right follow the
 * reading order, from the end of a row to the start of the next; up and down go to the tile in the
 * row above or below whose centre is nearest (a shorter last row takes its nearest tile); first and
 * last are the first and last in reading order. At an edge the focus stays (`from`).
 */
export function moveInGrid(boxes: readonly Box[], from: number, move: GridMove): number {
  if (!boxes.length) return -1;
  const rows = rowsOf(boxes);
  const reading = rows.flat();
  if (move === 'first') return reading[0];
  if (move === 'last') return reading[reading.length - 1];
  const at = reading.indexOf(from);
  if (at < 0) return reading[0];
  if (move === 'left') return reading[Math.max(0, at - 1)];
  if (move === 'right') return reading[Math.min(reading.length - 1, at + 1)];
  const r = rows.findIndex((row) => row.includes(from));
  const target = rows[move === 'up' ? r - 1 : r + 1];
  if (!target) return from;
  const centre = (i: number) => boxes[i].left + boxes[i].width / 2;
  const x = centre(from);
  let best = target[0];
  for (const i of target) if (Math.abs(centre(i) - x) < Math.abs(centre(best) - x)) best = i;
  return best;
}

/** The bed before (-1) or after (+1) `current` in the overview's order; null at either end. */
export function neighbourBed(order: readonly string[], current: string, step: -1 | 1): string | null {
  if (!order.length) return null;
  const at = order.indexOf(current);
  // A bed the overview does not show (filtered out): `]` starts at the first shown bed, `[` at the last.
  if (at < 0) return step > 0 ? order[0] : order[order.length - 1];
  return order[at + step] ?? null;
}

/** What a key does on this page, or null: the key is left to the browser and the focused control. */
export type KeyAction = { kind: 'grid'; move: GridMove } | { kind: 'overview' } | { kind: 'bed'; step: -1 | 1 } | { kind: 'help' };

/** The parts of a KeyboardEvent that decide (so tests need no DOM). */
export interface KeyInput {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Typing into a field: no key is ever taken from it. */
  editing: boolean;
  /** Some element already handled the key (preventDefault). */
  handled?: boolean;
}

const GRID_KEYS: Record<string, GridMove> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'first',
  End: 'last',
};

/**
 * Overview: arrows, Home and End move between tiles (Enter opens one: they are links). Bed page:
 * Escape back to the overview, `[` and `]` or Alt+Left and Alt+Right the previous and next bed.
 * Anywhere: `?` shows the keys. Never while typing, and never with a modifier the key does not
 * document (Ctrl, Meta; Alt only with the arrows of the bed page; Shift only as part of `?`).
 */
export function keyAction(page: 'overview' | 'bed', e: KeyInput): KeyAction | null {
  if (e.editing || e.handled || e.ctrlKey || e.metaKey) return null;
  if (e.key === '?' && !e.altKey) return { kind: 'help' };
  if (e.shiftKey) return null;
  if (page === 'overview') {
    const move = GRID_KEYS[e.key];
    return move && !e.altKey ? { kind: 'grid', move } : null;
  }
  if (e.altKey) {
    if (e.key === 'ArrowLeft') return { kind: 'bed', step: -1 };
    if (e.key === 'ArrowRight') return { kind: 'bed', step: 1 };
    return null;
  }
  if (e.key === 'Escape') return { kind: 'overview' };
  if (e.key === '[') return { kind: 'bed', step: -1 };
  if (e.key === ']') return { kind: 'bed', step: 1 };
  return null;
}

/** What an element must be for keys to be left to it: a text field, a list, an editable region. */
export interface FocusTarget {
  tagName?: string;
  isContentEditable?: boolean;
}

export function isEditing(el: FocusTarget | null | undefined): boolean {
  if (!el) return false;
  const tag = (el.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || el.isContentEditable === true;
}
