import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { scriptedOpenAI, type ScriptedOpenAI, type ScriptedReply, type ScriptedRequest } from "../helpers/scripted-openai.js";
import { quietPasses } from "../helpers/scripted-passes.js";
import { formatOf } from "../helpers/verifier.js";
import { answersInThread, commandInThread, deliverTo } from "./fix-scenario.js";

/**
 * A fix that changes a signature must update its callers, which live in files
 * the pull request does not touch. The fix model finds the caller with its
 * repository tools (find_references) and edits both files; an edit of an
 * unrelated file is refused (it uses nothing the fix changes), and the
 * refusal goes back to the model.
 */

const USERS_BASE = "export function getUser(db, id) {\n  return db.users.find(id);\n}\n";
const USERS_HEAD = [
  "export function getUser(db, id, includeSecrets) {",
  "  const user = db.users.find(id);",
  "  return includeSecrets ? user : { ...user, passwordHash: undefined };",
  "}",
  "",
].join("\n");
const ADMIN = "import { getUser } from '../users.js';\n\nexport const showAdmin = (db, id) => getUser(db, id, true);\n";
const OTHER = "export const version = '1.0.0';\n";
const SIGNATURE =
  "export function getUser(db, id, includeSecrets) {\n  const user = db.users.find(id);\n  return includeSecrets ? user : { ...user, passwordHash: undefined };";
const NEW_SIGNATURE =
  "export function getUser(db, id, { includeSecrets = false } = {}) {\n  const user = db.users.find(id);\n  return includeSecrets ? user : { ...user, passwordHash: undefined };";

let sim: Simulator;
let server: ScriptedOpenAI;
let endpoint: { baseUrl: string; close(): Promise<void> };
let longview: LongviewProcess;

const text = (r: ScriptedRequest) => r.userTexts.join("\n");
const fixRequests = () => server.requests.filter((r) => formatOf(r.body) === "longview_fix");

function model(request: ScriptedRequest): ScriptedReply {
  const pass = quietPasses(request);
  if (pass) return pass;
  switch (formatOf(request.body)) {
    case "longview_fix_judgement":
      return { answer: { verdict: "accept", reason: "The flag became an options object and the one caller passes it by name." } };
    case "longview_fix": {
      const callers = request.toolResults.find((t) => t.name === "find_references");
      // First look for the callers, as an engineer would.
      if (!callers) return { toolCalls: [{ name: "find_references", arguments: { symbol: "getUser", glob: null } }] };
      const edits = [
        { path: "src/users.js", search: SIGNATURE, replace: NEW_SIGNATURE },
        ...(callers.output.includes("src/routes/admin.js")
          ? [{ path: "src/routes/admin.js", search: "getUser(db, id, true)", replace: "getUser(db, id, { includeSecrets: true })" }]
          : []),
      ];
      // The first answer also "tidies" an unrelated file: refused, and the refusal comes back.
      const first = fixRequests().filter((r) => r.toolResults.length > 0).length === 1;
      if (first) edits.push({ path: "src/version.js", search: "'1.0.0'", replace: "'1.0.1'" });
      return { answer: { summary: "Replace the boolean flag with an options object and update the caller.", edits } };
    }
    default: {
      const added = /R(\d+) \+ export function getUser\(db, id, includeSecrets\) \{/.exec(text(request));
      if (!added) return { answer: { findings: [], notes: [] } };
      return {
        answer: {
          findings: [
            {
              path: "src/users.js",
              line: Number(added[1]),
              start_line: null,
              side: "RIGHT",
              quote: "export function getUser(db, id, includeSecrets) {",
              severity: "P1",
              category: "security",
              title: "Boolean flag decides whether password hashes are returned",
              body: "A positional `true` is easy to pass by mistake and leaks password hashes; take an options object so callers name it.",
              suggestion: null,
              confidence: 0.9,
            },
          ],
          notes: [],
        },
      };
    }
  }
}

beforeAll(async () => {
  nock.restore();
  sim = await startSimulator();
  server = scriptedOpenAI(model);
  endpoint = await server.listen();
  longview = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: endpoint.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await endpoint?.close();
  await sim?.close();
});

describe("a fix that changes a signature updates its callers", () => {
  test("the caller in an unchanged file is found through references and fixed in the same commit; an unrelated file is refused", async () => {
    const repo = "acme/users" as const;
    await sim.createRepo({
      owner: "acme",
      name: "users",
      commits: [{ message: "base", files: { "src/users.js": USERS_BASE, "src/routes/admin.js": ADMIN, "src/version.js": OTHER } }],
      branches: { feature: { commits: [{ message: "hide password hashes", files: { "src/users.js": USERS_HEAD } }] } },
    });
    const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: "Hide password hashes" });
    sim.setPermission(repo, "alice", "write");
    await deliverTo(sim, longview.webhookUrl)("pull_request", pr.payload);
    await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), "the review");
    const finding = sim.state.reviewComments(repo, pr.number).find((c) => c.body.includes("Boolean flag decides"));
    if (!finding) throw new Error("the review did not post the finding");

    await commandInThread(sim, longview.webhookUrl, { pr, repo, findingId: finding.id });
    const reply = await waitFor(() => answersInThread(sim, { pr, repo, findingId: finding.id })[0], "Longview's reply");

    expect(reply.body).toMatch(/^@alice Committed/);
    expect(reply.body).toContain("in 2 attempts");
    expect(await sim.state.fileAt(repo, "feature", "src/users.js")).toContain("{ includeSecrets = false } = {}");
    expect(await sim.state.fileAt(repo, "feature", "src/routes/admin.js")).toContain("getUser(db, id, { includeSecrets: true })");
    expect(await sim.state.fileAt(repo, "feature", "src/version.js")).toBe(OTHER);
    // The model read the caller through its tools, from the repository at head.
    const references = fixRequests()
      .flatMap((r) => r.toolResults)
      .find((t) => t.name === "find_references");
    expect(references?.output).toContain("src/routes/admin.js");
    // The unrelated edit came back as a problem.
    const retry = JSON.stringify(fixRequests().at(-1)!.body);
    expect(retry).toContain("`src/version.js` is outside the findings' files and does not use what your edits change (`getUser`)");
    expect(sim.violations).toEqual([]);
  }, 120_000);
});
