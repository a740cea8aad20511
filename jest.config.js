import { availableParallelism } from "node:os";

/** ESM + TypeScript through @swc/jest; `.js` import suffixes map back to `.ts` sources. */
export default {
  // Jest's default (cores − 1) runs everything in one process on a 2-core machine; most suites wait on child
  // processes and sockets, so two workers halve the suite's time there (440 s → 221 s measured).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } }],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/setup-after-env.ts"],
  globalSetup: "<rootDir>/test/global-setup.js",
  testTimeout: 30000,
};
