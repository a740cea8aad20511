/**
 * Longview's layering, enforced by `npm run lint` (dependency-cruiser): imports run from higher layers to lower
 * ones only, there are no import cycles in src/, and only github/ (and the Probot entry points that hand an
 * installation client to it) touch Octokit. docs/architecture.md draws the same layers.
 *
 *   foundations   domain/ util/ config/ markdown/
 *   edges + pure  diff/ redact/ repo/ analyzers/ context/ model/ github/
 *   the reviewer  reviewer/
 *   decisions     review/ fix/ compute/
 *   jobs + app    commands/ queue/ handlers/ intake/ ops/ cli/ eval/ action/ and the entry files at src/ top level
 */
const FOUNDATIONS = "^src/(domain|util|config|markdown)/";
const EDGES = "^src/(diff|redact|repo|analyzers|context|model|github)/";
const ABOVE_EDGES = "^src/(reviewer|review|fix|compute|commands|queue|handlers|intake|ops|cli|eval|action)/|^src/[^/]+\\.ts$";
const ABOVE_DECISIONS = "^src/(commands|queue|handlers|intake|ops|cli|eval|action)/|^src/[^/]+\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "An import cycle makes the order of module evaluation matter and the layering meaningless.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "foundations-stay-at-the-bottom",
      comment: "domain/, util/, config/ and markdown/ depend on nothing of Longview above them.",
      severity: "error",
      from: { path: FOUNDATIONS },
      to: { path: "^src/", pathNot: FOUNDATIONS },
    },
    {
      name: "edges-do-not-reach-up",
      comment: "github/, diff/, repo/, context/, model/, analyzers/ and redact/ never import the review, the fix, the commands, the queue or ops.",
      severity: "error",
      from: { path: EDGES },
      to: { path: ABOVE_EDGES },
    },
    {
      name: "decisions-do-not-reach-up",
      comment: "review/, fix/, compute/ and reviewer/ never import the jobs, handlers, queue, ops or entry points that run them.",
      severity: "error",
      from: { path: "^src/(reviewer|review|fix|compute)/" },
      to: { path: ABOVE_DECISIONS },
    },
    {
      name: "repo-reads-with-context-not-the-reverse",
      comment:
        "repo/ (the repository beyond the change, the impact context) builds on context/'s syntax and the analyzers' regex check; context/ and analyzers/ take what they need of the impact from domain/, never from repo/.",
      severity: "error",
      from: { path: "^src/(context|analyzers)/" },
      to: { path: "^src/repo/" },
    },
    {
      name: "octokit-only-in-github",
      comment: "GitHub is reached through github/ (GitHubHost); only the Probot entry points hand it an installation client.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(github/|intake/|server\\.ts|app\\.ts|github-app\\.ts|start-worker\\.ts|handlers/|commands/handlers\\.ts)" },
      to: { path: "node_modules/(probot|@octokit)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js"] },
  },
};
