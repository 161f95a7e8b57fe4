/**
 * A FIFO queue threaded through its items' own `next`/`prev` fields: push at the tail,
 * take the head, or remove any item (a request whose timeout fired) in O(1), with no
 * allocation. An item is in at most one such queue at a time.
 *
 * Fidelity: not a Knative component. It stands in for the goroutines blocked on a
 * breaker's semaphore in knative/serving pkg/queue/breaker.go, which Go wakes in FIFO
 * order; here the waiting requests are records in this queue.
 */

/** An item that can sit in an IntrusiveQueue: the queue owns these two fields while it holds the item. */
interface QueueLinks<T> {
  next: T | null;
  prev: T | null;
}

export class IntrusiveQueue<T extends QueueLinks<T>> {
  head: T | null = null;
  tail: T | null = null;
  length = 0;

  push(item: T): void {
    item.next = null;
    item.prev = this.tail;
    if (this.tail === null) this.head = item;
    else this.tail.next = item;
    this.tail = item;
    this.length++;
  }

  /** Takes the head, or returns null when the queue is empty. */
  shift(): T | null {
    const item = this.head;
    if (item !== null) this.remove(item);
    return item;
  }

  /** Removes an item that is in this queue. */
  remove(item: T): void {
    if (item.prev === null) this.head = item.next;
    else item.prev.next = item.next;
    if (item.next === null) this.tail = item.prev;
    else item.next.prev = item.prev;
    item.next = null;
    item.prev = null;
    this.length--;
  }
}
