import { describe, expect, it } from 'vitest';
import { isEditing, keyAction, moveInGrid, neighbourBed, type Box, type KeyInput } from './keys.js';

/** Tiles 100x80 with 10 px gaps, `cols` per row, as a CSS grid lays them out. */
function grid(count: number, cols: number): Box[] {
  return Array.from({ length: count }, (_, i) => ({ left: (i % cols) * 110, top: Math.floor(i / cols) * 90, width: 100, height: 80 }));
}

describe('moveInGrid: focus follows the tiles as they are laid out', () => {
  const g = grid(10, 4); // rows: 0-3, 4-7, 8-9

  it('moves right and left in reading order, from the end of a row to the start of the next', () => {
    expect(moveInGrid(g, 0, 'right')).toBe(1);
    expect(moveInGrid(g, 3, 'right')).toBe(4);
    expect(moveInGrid(g, 4, 'left')).toBe(3);
    expect(moveInGrid(g, 1, 'left')).toBe(0);
  });

  it('stays at either end', () => {
    expect(moveInGrid(g, 0, 'left')).toBe(0);
    expect(moveInGrid(g, 9, 'right')).toBe(9);
    expect(moveInGrid(g, 2, 'up')).toBe(2);
    expect(moveInGrid(g, 8, 'down')).toBe(8);
  });

  it('moves up and down by a whole row, to the tile in the same column', () => {
    expect(moveInGrid(g, 1, 'down')).toBe(5);
    expect(moveInGrid(g, 5, 'down')).toBe(9);
    expect(moveInGrid(g, 9, 'up')).toBe(5);
    expect(moveInGrid(g, 6, 'up')).toBe(2);
  });

  it('takes the nearest tile of a shorter last row', () => {
    expect(moveInGrid(g, 7, 'down')).toBe(9);
    expect(moveInGrid(g, 6, 'down')).toBe(9);
  });

  it('goes to the first and last tile', () => {
    expect(moveInGrid(g, 6, 'first')).toBe(0);
    expect(moveInGrid(g, 2, 'last')).toBe(9);
  });

  it('follows the layout, not the column count: two columns on a tablet', () => {
    const two = grid(5, 2);
    expect(moveInGrid(two, 0, 'down')).toBe(2);
    expect(moveInGrid(two, 1, 'down')).toBe(3);
    expect(moveInGrid(two, 3, 'down')).toBe(4);
  });

  it('reads rows from the boxes, whatever their order in the list, and tolerates a pixel of jitter', () => {
    const boxes: Box[] = [
      { left: 110, top: 90.5, width: 100, height: 80 },
      { left: 0, top: 0, width: 100, height: 80 },
      { left: 110, top: 0.4, width: 100, height: 80 },
      { left: 0, top: 90, width: 100, height: 80 },
    ];
    expect(moveInGrid(boxes, 1, 'right')).toBe(2);
    expect(moveInGrid(boxes, 2, 'right')).toBe(3);
    expect(moveInGrid(boxes, 2, 'down')).toBe(0);
    expect(moveInGrid(boxes, 1, 'first')).toBe(1);
    expect(moveInGrid(boxes, 1, 'last')).toBe(0);
  });

  it('starts at the first tile when the focus was on none of them, and answers -1 without tiles', () => {
    expect(moveInGrid(g, -1, 'down')).toBe(0);
    expect(moveInGrid([], 0, 'down')).toBe(-1);
  });
});

describe('neighbourBed: previous and next bed in the overview order', () => {
  const order = ['picu9', 'nicu1', 'picu1'];
  it('steps through the order and stops at its ends', () => {
    expect(neighbourBed(order, 'nicu1', 1)).toBe('picu1');
    expect(neighbourBed(order, 'nicu1', -1)).toBe('picu9');
    expect(neighbourBed(order, 'picu1', 1)).toBeNull();
    expect(neighbourBed(order, 'picu9', -1)).toBeNull();
  });
  it('from a bed the filter hides, enters the order at its start or its end', () => {
    expect(neighbourBed(order, 'x', 1)).toBe('picu9');
    expect(neighbourBed(order, 'x', -1)).toBe('picu1');
    expect(neighbourBed([], 'x', 1)).toBeNull();
  });
});

describe('keyAction: which key does what, and never while typing', () => {
  const k = (key: string, more: Partial<KeyInput> = {}): KeyInput => ({
    key,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    editing: false,
    ...more,
  });

  it('moves between tiles on the overview with arrows, Home and End', () => {
    expect(keyAction('overview', k('ArrowDown'))).toEqual({ kind: 'grid', move: 'down' });
    expect(keyAction('overview', k('ArrowLeft'))).toEqual({ kind: 'grid', move: 'left' });
    expect(keyAction('overview', k('Home'))).toEqual({ kind: 'grid', move: 'first' });
    expect(keyAction('overview', k('End'))).toEqual({ kind: 'grid', move: 'last' });
    expect(keyAction('overview', k('Escape'))).toBeNull();
    expect(keyAction('overview', k(']'))).toBeNull();
  });

  it('goes back and between beds on a bed page', () => {
    expect(keyAction('bed', k('Escape'))).toEqual({ kind: 'overview' });
    expect(keyAction('bed', k('['))).toEqual({ kind: 'bed', step: -1 });
    expect(keyAction('bed', k(']'))).toEqual({ kind: 'bed', step: 1 });
    expect(keyAction('bed', k('ArrowLeft', { altKey: true }))).toEqual({ kind: 'bed', step: -1 });
    expect(keyAction('bed', k('ArrowRight', { altKey: true }))).toEqual({ kind: 'bed', step: 1 });
    // plain arrows scroll the bed page as always
    expect(keyAction('bed', k('ArrowRight'))).toBeNull();
    expect(keyAction('bed', k('ArrowDown'))).toBeNull();
  });

  it('shows the keys with ? anywhere, Shift being part of typing it', () => {
    expect(keyAction('overview', k('?', { shiftKey: true }))).toEqual({ kind: 'help' });
    expect(keyAction('bed', k('?'))).toEqual({ kind: 'help' });
  });

  it('leaves every key to a field being typed in, and to a control that handled it', () => {
    for (const page of ['overview', 'bed'] as const) {
      for (const key of ['ArrowDown', 'Home', 'Escape', '[', ']', '?']) {
        expect(keyAction(page, k(key, { editing: true }))).toBeNull();
        expect(keyAction(page, k(key, { handled: true }))).toBeNull();
      }
    }
  });

  it('leaves keys with an undocumented modifier to the browser', () => {
    expect(keyAction('overview', k('ArrowDown', { ctrlKey: true }))).toBeNull();
    expect(keyAction('overview', k('ArrowDown', { shiftKey: true }))).toBeNull();
    expect(keyAction('overview', k('ArrowDown', { altKey: true }))).toBeNull();
    expect(keyAction('overview', k('End', { metaKey: true }))).toBeNull();
    expect(keyAction('bed', k(']', { ctrlKey: true }))).toBeNull();
    expect(keyAction('bed', k(']', { altKey: true }))).toBeNull();
    expect(keyAction('bed', k('Escape', { shiftKey: true }))).toBeNull();
    expect(keyAction('bed', k('ArrowLeft', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(keyAction('bed', k('ArrowLeft', { altKey: true, shiftKey: true }))).toBeNull();
    expect(keyAction('bed', k('?', { ctrlKey: true }))).toBeNull();
  });
});

describe('isEditing: where keys belong to the field', () => {
  it('is true for inputs, selects, text areas and editable regions', () => {
    expect(isEditing({ tagName: 'INPUT' })).toBe(true);
    expect(isEditing({ tagName: 'select' })).toBe(true);
    expect(isEditing({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isEditing({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });
  it('is false for links, buttons and nothing', () => {
    expect(isEditing({ tagName: 'A' })).toBe(false);
    expect(isEditing({ tagName: 'BUTTON' })).toBe(false);
    expect(isEditing(null)).toBe(false);
  });
});
