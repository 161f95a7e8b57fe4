import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntrusiveQueue } from '../../src/dataplane/intrusive-queue.js';
import { must } from '../../src/engine/assert.js';

class Item {
  next: Item | null = null;
  prev: Item | null = null;
  constructor(readonly id: number) {}
}

function ids(queue: IntrusiveQueue<Item>): number[] {
  const out: number[] = [];
  for (let item = queue.head; item !== null; item = item.next) out.push(item.id);
  return out;
}

describe('IntrusiveQueue', () => {
  it('takes items in arrival order and removes one from the middle', () => {
    const queue = new IntrusiveQueue<Item>();
    const [a, b, c] = [new Item(1), new Item(2), new Item(3)];
    queue.push(a);
    queue.push(b);
    queue.push(c);
    queue.remove(b);
    expect(ids(queue)).toEqual([1, 3]);
    expect(b.next).toBeNull();
    expect(b.prev).toBeNull();
    expect(queue.shift()).toBe(a);
    expect(queue.shift()).toBe(c);
    expect(queue.shift()).toBeNull();
    expect(queue.length).toBe(0);
    expect(queue.tail).toBeNull();
  });

  it('behaves as an array under any sequence of push, shift and remove', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'push' as const, at: 0 }),
      fc.constant({ kind: 'shift' as const, at: 0 }),
      fc.nat(20).map((at) => ({ kind: 'remove' as const, at })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const queue = new IntrusiveQueue<Item>();
        const model: Item[] = [];
        let next = 0;
        for (const { kind, at } of ops) {
          if (kind === 'push') {
            const item = new Item(next++);
            queue.push(item);
            model.push(item);
          } else if (kind === 'shift') {
            expect(queue.shift()).toBe(model.shift() ?? null);
          } else if (model.length > 0) {
            const item = must(model.splice(at % model.length, 1)[0], 'splice of a non-empty model returns one item');
            queue.remove(item);
          }
          expect(queue.length).toBe(model.length);
          expect(ids(queue)).toEqual(model.map((i) => i.id));
          expect(queue.tail).toBe(model[model.length - 1] ?? null);
        }
      }),
    );
  });
});
