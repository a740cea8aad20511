import type { RepoRecord } from "../state.js";
import { renderUser } from "./user.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/**
 * GitHub's repository object: every field of `full-repository` (and of the
 * `repository` embedded in pull requests and webhooks), with the fork's
 * `parent`/`source` when it is one.
 */
export function renderRepository(urls: Urls, repo: RepoRecord, openIssues = 0): Record<string, unknown> {
  const base = renderRepositoryFields(urls, repo, openIssues);
  if (!repo.parent) return base;
  const root = rootOf(repo);
  return { ...base, parent: renderRepositoryFields(urls, repo.parent, 0), source: renderRepositoryFields(urls, root, 0) };
}

function rootOf(repo: RepoRecord): RepoRecord {
  let current = repo;
  while (current.parent) current = current.parent;
  return current;
}

function renderRepositoryFields(urls: Urls, repo: RepoRecord, openIssues: number): Record<string, unknown> {
  const api = urls.api(`/repos/${repo.fullName}`);
  const html = urls.html(`/${repo.fullName}`);
  const host = new URL(urls.origin).host;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: renderUser(urls, repo.owner),
    html_url: html,
    description: null,
    fork: repo.parent !== null,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${repo.fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: isoTime(repo.pushedAt),
    created_at: isoTime(repo.createdAt),
    updated_at: isoTime(repo.pushedAt),
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}
