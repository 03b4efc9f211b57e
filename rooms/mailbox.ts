/**
 * Runs one task at a time, in arrival order, even when tasks await I/O: the room is an actor.
 * Colyseus does not await message handlers, so without this two confirms would interleave.
 */
export class Mailbox {
  #tail: Promise<unknown> = Promise.resolve();
  #queued = 0;
  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.#queued;
  }

  /** Returns undefined (and runs nothing) when the mailbox is full. */
  run<T>(task: () => Promise<T> | T): Promise<T> | undefined {
    if (this.#queued >= this.capacity) return undefined;
    this.#queued += 1;
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => { this.#queued -= 1; },
      () => { this.#queued -= 1; },
    );
    return result;
  }
}
