/** The shared Redis of tests and benchmarks (`.ci/run` starts one on the default). No jest imports: benchmarks use it too. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
