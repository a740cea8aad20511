/**
 * Bytes of webhook bodies held in memory at once, across every delivery
 * being read. The per-delivery cap alone bounds one request; this bounds
 * their sum, so many connections each sending just under the cap cannot
 * add up to gigabytes.
 */
export class ByteBudget {
  #held = 0;

  constructor(readonly capacity: number) {}

  get held(): number {
    return this.#held;
  }

  /** What one delivery holds; released all at once when it is answered. */
  lease(): ByteLease {
    let taken = 0;
    return {
      take: (bytes) => {
        if (this.#held + bytes > this.capacity) return false;
        this.#held += bytes;
        taken += bytes;
        return true;
      },
      release: () => {
        this.#held -= taken;
        taken = 0;
      },
    };
  }
}

export interface ByteLease {
  /** Counts `bytes` against the budget; false (nothing counted) when they do not fit. */
  take(bytes: number): boolean;
  /** Gives back everything taken; safe to call more than once. */
  release(): void;
}
