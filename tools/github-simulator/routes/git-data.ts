import { z } from "zod";
import { notFound, unprocessableMessage } from "../errors.js";
import type { GitObjectType, GitPerson, TreeEdit } from "../git-repo.js";
import { renderBlob, renderGitCommit, renderRef, renderTree } from "../render/git.js";
import { readableRepo, writableRepo } from "../repo-access.js";
import type { Route } from "../router.js";
import type { RepoRecord } from "../state.js";
import type { World } from "../world.js";
import { parseBody } from "./body.js";

/**
 * The Git Data API over real git objects: blobs, trees, commits and refs are
 * written with hash-object, a private index + write-tree, commit-tree and
 * update-ref. A ref update that is not a fast-forward needs `force`; a moved
 * branch moves the pull requests whose head it is.
 */

const CreateBlob = z.object({ content: z.string(), encoding: z.enum(["utf-8", "utf8", "base64"]).optional() });

const TreeItem = z.object({
  path: z.string().min(1),
  mode: z.enum(["100644", "100755", "040000", "160000", "120000"]).optional(),
  type: z.enum(["blob", "tree", "commit"]).optional(),
  sha: z.string().nullable().optional(),
  content: z.string().optional(),
});
const CreateTree = z.object({ tree: z.array(TreeItem), base_tree: z.string().optional() });

const Person = z.object({ name: z.string(), email: z.string(), date: z.string().optional() });
const CreateCommit = z.object({
  message: z.string(),
  tree: z.string(),
  parents: z.array(z.string()).optional(),
  author: Person.optional(),
  committer: Person.optional(),
});

const CreateRef = z.object({ ref: z.string(), sha: z.string() });
const UpdateRef = z.object({ sha: z.string(), force: z.boolean().optional() });

const MODE_TYPE: Record<string, GitObjectType> = { "100644": "blob", "100755": "blob", "120000": "blob", "040000": "tree", "160000": "commit" };

export function gitDataRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/blobs/{file_sha}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const sha = params["file_sha"] ?? "";
        const content = await repo.git.readBlob(sha);
        if (!content) throw notFound();
        return { status: 200, json: renderBlob(world.urls, repo, sha, content) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/blobs",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const input = parseBody(CreateBlob, body);
        const bytes = Buffer.from(input.content, input.encoding === "base64" ? "base64" : "utf8");
        const sha = await repo.git.writeBlob(bytes);
        return { status: 201, json: { url: world.urls.api(`/repos/${repo.fullName}/git/blobs/${sha}`), sha } };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/trees/{tree_sha}",
      auth: "installation",
      greedy: ["tree_sha"],
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const sha = await repo.git.revParse(`${params["tree_sha"] ?? ""}^{tree}`);
        if (!sha) throw notFound();
        const recursive = query.has("recursive");
        const entries = await repo.git.listTree(sha, { recursive });
        // GitHub cuts a recursive listing short and says so; a non-recursive one is whole.
        const truncated = recursive && entries.length > world.limits.maxTreeEntries;
        const listed = truncated ? entries.slice(0, world.limits.maxTreeEntries) : entries;
        return { status: 200, json: renderTree(world.urls, repo, sha, listed, truncated) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/trees",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const input = parseBody(CreateTree, body);
        let baseTree: string | null = null;
        if (input.base_tree !== undefined) {
          baseTree = await repo.git.revParse(`${input.base_tree}^{tree}`);
          if (!baseTree) throw unprocessableMessage(`base_tree ${input.base_tree} is not a valid tree oid`);
        }
        const edits: TreeEdit[] = [];
        for (const item of input.tree) edits.push(await toEdit(repo, item));
        const sha = await repo.git.writeTree(baseTree, edits);
        return { status: 201, json: renderTree(world.urls, repo, sha, await repo.git.listTree(sha)) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const sha = params["commit_sha"] ?? "";
        if ((await repo.git.objectType(sha)) !== "commit") throw notFound();
        const commit = await repo.git.readCommit(sha);
        if (!commit) throw notFound();
        return { status: 200, json: renderGitCommit(world.urls, repo, commit) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/commits",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const input = parseBody(CreateCommit, body);
        if ((await repo.git.objectType(input.tree)) !== "tree") throw unprocessableMessage("Tree SHA does not exist");
        for (const parent of input.parents ?? []) {
          if ((await repo.git.objectType(parent)) !== "commit") throw unprocessableMessage("Parent SHA does not exist or is not a commit object");
        }
        const now = world.state.now();
        const author = toPerson(input.author, botPerson(world, now));
        const sha = await repo.git.commitTree({
          tree: input.tree,
          parents: input.parents ?? [],
          message: input.message,
          author,
          committer: toPerson(input.committer, author),
        });
        const commit = await repo.git.readCommit(sha);
        if (!commit) throw new Error(`commit ${sha} just written is unreadable`);
        return { status: 201, json: renderGitCommit(world.urls, repo, commit) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/ref/{ref}",
      auth: "installation",
      greedy: ["ref"],
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const ref = `refs/${params["ref"] ?? ""}`;
        const sha = await repo.git.revParse(`${ref}^{commit}`);
        if (!sha || !(await refExists(repo, ref))) throw notFound();
        return { status: 200, json: renderRef(world.urls, repo, ref, sha) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/refs",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const input = parseBody(CreateRef, body);
        if (!/^refs\/[^/]+\/.+/.test(input.ref)) throw unprocessableMessage("Reference name must start with 'refs/' and have at least two slashes.");
        if (await refExists(repo, input.ref)) throw unprocessableMessage("Reference already exists");
        if ((await repo.git.objectType(input.sha)) !== "commit") throw unprocessableMessage("Object does not exist");
        await repo.git.updateRef(input.ref, input.sha, null);
        await afterMove(world, repo, input.ref, null, input.sha);
        return { status: 201, json: renderRef(world.urls, repo, input.ref, input.sha) };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/git/refs/{ref}",
      auth: "installation",
      greedy: ["ref"],
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const input = parseBody(UpdateRef, body);
        const ref = `refs/${params["ref"] ?? ""}`;
        const old = (await refExists(repo, ref)) ? await repo.git.revParse(ref) : null;
        if (!old) throw unprocessableMessage("Reference does not exist");
        if ((await repo.git.objectType(input.sha)) !== "commit") throw unprocessableMessage("Object does not exist");
        if (input.force !== true && !(await repo.git.isAncestor(old, input.sha))) throw unprocessableMessage("Update is not a fast forward");
        await repo.git.updateRef(ref, input.sha, old);
        await afterMove(world, repo, ref, old, input.sha);
        return { status: 200, json: renderRef(world.urls, repo, ref, input.sha) };
      },
    },
  ];
}

/** One `tree` entry of createTree. GitHub's wording for malformed entries is not on record; these messages are ours. */
async function toEdit(repo: RepoRecord, item: z.infer<typeof TreeItem>): Promise<TreeEdit> {
  const mode = item.mode ?? (item.type === "tree" ? "040000" : item.type === "commit" ? "160000" : "100644");
  const type = item.type ?? MODE_TYPE[mode] ?? "blob";
  if (MODE_TYPE[mode] !== type) throw unprocessableMessage(`Invalid tree info: mode ${mode} does not match type ${type} for ${item.path}`);
  if (item.content !== undefined && item.sha !== undefined) throw unprocessableMessage("Only one of tree.sha or tree.content may be given");
  if (item.content !== undefined) {
    if (type !== "blob") throw unprocessableMessage(`tree.content is only valid for blobs (${item.path})`);
    return { path: item.path, mode, type, sha: await repo.git.writeBlob(Buffer.from(item.content, "utf8")) };
  }
  if (item.sha === undefined) throw unprocessableMessage(`Must supply either tree.sha or tree.content for ${item.path}`);
  if (item.sha === null) return { path: item.path, mode, type, sha: null };
  // A submodule points at a commit of another repository, which need not exist here.
  if (type !== "commit" && (await repo.git.objectType(item.sha)) !== type) throw unprocessableMessage(`tree.sha ${item.sha} is not a valid ${type}`);
  return { path: item.path, mode, type, sha: item.sha };
}

async function refExists(repo: RepoRecord, ref: string): Promise<boolean> {
  const listed = await repo.git.text(["for-each-ref", "--format=%(refname)", ref]);
  return listed.split("\n").includes(ref);
}

async function afterMove(world: World, repo: RepoRecord, ref: string, before: string | null, after: string): Promise<void> {
  if (!ref.startsWith("refs/heads/")) return;
  await world.events.branchMoved(world, repo, ref.slice("refs/heads/".length), before, after, world.app.bot);
}

function botPerson(world: World, date: Date): GitPerson {
  const host = new URL(world.urls.origin).hostname;
  return { name: world.app.bot.login, email: `${world.app.bot.id}+${world.app.bot.login}@users.noreply.${host}`, date };
}

function toPerson(input: z.infer<typeof Person> | undefined, fallback: GitPerson): GitPerson {
  if (!input) return fallback;
  return { name: input.name, email: input.email, date: input.date ? new Date(input.date) : fallback.date };
}
