import type { Simulator } from "../../tools/github-simulator/index.js";

/**
 * acme/widgets with PR #1 (feature → main). src/app.ts, 20 lines at base:
 * the PR replaces line 3 and adds a line after 15, so its diff has two hunks —
 * new lines 1–6 and 13–19 (old 1–6 and 13–18). src/util.ts is new (3 lines).
 */
export const BASE_APP = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
export const HEAD_APP = BASE_APP.replace("line 3\n", "line three\n").replace("line 15\n", "line 15\ninserted\n");

export async function createWidgetsPullRequest(sim: Simulator): Promise<{ headSha: string; gitDir: string }> {
  const repo = await sim.createRepo({
    owner: "acme",
    name: "widgets",
    commits: [{ message: "base", files: { "src/app.ts": BASE_APP, "README.md": "# widgets\n" } }],
    branches: { feature: { commits: [{ message: "feature", files: { "src/app.ts": HEAD_APP, "src/util.ts": "a\nb\nc\n" } }] } },
  });
  const created = await sim.createPullRequest({ repo: "acme/widgets", head: "feature", base: "main", title: "Feature", body: "Adds things", user: "dev" });
  return { headSha: created.headSha, gitDir: repo.gitDir };
}
