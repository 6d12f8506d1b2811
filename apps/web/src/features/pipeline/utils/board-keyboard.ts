import {
  pointerWithin,
  rectIntersection,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';

/**
 * Keyboard moves on the board go a whole column at a time: Arrow Right / Left put the lifted
 * card at the top of the next / previous column (dnd-kit's default moves 25 px a press, which
 * would take dozens of presses to cross one column). Up and Down do nothing: a column is
 * ordered by last change, not by hand.
 */
export const boardKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const direction = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  if (direction === 0) return undefined;
  const { collisionRect, droppableRects, droppableContainers, over } = context;
  if (!collisionRect) return undefined;
  event.preventDefault();
  const columns = droppableContainers
    .getEnabled()
    .flatMap((container) => {
      const rect = droppableRects.get(container.id);
      return rect ? [{ id: container.id, rect }] : [];
    })
    .sort((a, b) => a.rect.left - b.rect.left);
  const centerX = collisionRect.left + collisionRect.width / 2;
  const current =
    over?.id ??
    columns.find(({ rect }) => centerX >= rect.left && centerX <= rect.left + rect.width)?.id;
  const target = columns[columns.findIndex((column) => column.id === current) + direction];
  if (!target) return undefined;
  return {
    x: target.rect.left + (target.rect.width - collisionRect.width) / 2,
    y: target.rect.top + 8,
  };
};

/** The column under the pointer; for keyboard drags (no pointer), the one the card overlaps. */
export const boardCollisionDetection: CollisionDetection = (args) => {
  const underPointer = pointerWithin(args);
  return underPointer.length > 0 ? underPointer : rectIntersection(args);
};
