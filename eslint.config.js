// Lint for Longview's own code. (The analyzers lint the code under review with their own in-code configuration.)
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/fixtures/**", "eval/cases/**", "tools/demo/sample/**", "coverage/**", "bin/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Library code: a promise nobody awaits is an unhandled rejection waiting to end the process; logs go through pino.
    files: ["src/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "no-console": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    // The queues carry jobs they do not understand: a kind of job is declared in src/queue/kinds/ and reaches
    // them only through the registry they are given, so adding one never touches them.
    files: ["src/queue/{in-process-queue,redis-queue,redis-worker,spooling-queue,dispatch,redis-scripts,failure-policy,errors}.ts", "src/queue/job-*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["./kinds/*"], message: "queue machinery names no kind of job: ask the JobRegistry it is given" }] },
      ],
    },
  },
);
