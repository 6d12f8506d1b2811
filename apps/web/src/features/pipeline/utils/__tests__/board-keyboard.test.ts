import type { KeyboardCoordinateGetter } from '@dnd-kit/core';
import { describe, expect, it } from 'vitest';
import { boardKeyboardCoordinates } from '../board-keyboard';

type Args = Parameters<KeyboardCoordinateGetter>[1];

// Three columns side by side, 300 px apart; the lifted card (200 × 50) is in the middle one.
const rect = (left: number) => ({
  left,
  top: 100,
  width: 280,
  height: 600,
  right: left + 280,
  bottom: 700,
});
const columns = [
  { id: 'contacted', rect: rect(300) },
  { id: 'new', rect: rect(0) },
  { id: 'qualified', rect: rect(600) },
];

function args(overId: string | null): Args {
  return {
    active: 'card-1',
    currentCoordinates: { x: 340, y: 120 },
    context: {
      collisionRect: { left: 340, top: 120, width: 200, height: 50, right: 540, bottom: 170 },
      droppableRects: new Map(columns.map((c) => [c.id, c.rect])),
      droppableContainers: { getEnabled: () => columns.map((c) => ({ id: c.id })) },
      over: overId ? { id: overId } : null,
    },
  } as unknown as Args;
}

const key = (code: string) => {
  const event = new KeyboardEvent('keydown', { code, cancelable: true });
  return event;
};

describe('boardKeyboardCoordinates', () => {
  it.each([
    ['ArrowRight', 'contacted', { x: 640, y: 108 }],
    ['ArrowLeft', 'contacted', { x: 40, y: 108 }],
    ['ArrowRight', 'new', { x: 340, y: 108 }],
  ])('%s from %s goes to the top of the column beside it', (code, over, expected) => {
    const event = key(code);
    expect(boardKeyboardCoordinates(event, args(over))).toEqual(expected);
    expect(event.defaultPrevented).toBe(true);
  });

  it('finds the current column from the card when nothing is under it yet', () => {
    expect(boardKeyboardCoordinates(key('ArrowRight'), args(null))).toEqual({ x: 640, y: 108 });
  });

  it.each([
    ['ArrowRight', 'qualified'],
    ['ArrowLeft', 'new'],
    ['ArrowDown', 'contacted'],
    ['ArrowUp', 'contacted'],
  ])('%s from %s stays put (edge of the board, or not a column move)', (code, over) => {
    expect(boardKeyboardCoordinates(key(code), args(over))).toBeUndefined();
  });
});
