/**
 * Lets a long CPU loop on the main thread give the event loop a turn every
 * `sliceMs` of work, so webhooks are answered and queue locks renewed while it
 * runs (a BullMQ lock renewal is a timer: a loop that never yields loses the
 * job to another worker). Awaiting a promise that is already resolved is not
 * a turn: only a macrotask (setImmediate) lets timers and I/O run.
 */
export function cooperative(sliceMs = 10, now: () => number = () => performance.now()): () => Promise<void> {
  let sliceStart = now();
  return async () => {
    if (now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = now();
  };
}
