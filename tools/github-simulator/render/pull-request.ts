import type { PullRecord, RepoRecord } from "../state.js";
import { authorAssociation } from "./association.js";
import { renderRepository } from "./repository.js";
import { renderUser } from "./user.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/** Facts about a pull request that need git (its diff against the base) or counting. */
export interface PullFacts {
  readonly baseSha: string;
  readonly additions: number;
  readonly deletions: number;
  readonly changedFiles: number;
  readonly commits: number;
  readonly issueComments: number;
  readonly reviewComments: number;
}

/** GitHub's `pull-request`, which also serves as the webhook payload's `pull_request`. */
export function renderPullRequest(urls: Urls, pull: PullRecord, facts: PullFacts): Record<string, unknown> {
  const repo = pull.repo;
  const api = urls.api(`/repos/${repo.fullName}`);
  const self = `${api}/pulls/${pull.number}`;
  const html = urls.html(`/${repo.fullName}/pull/${pull.number}`);
  const links = {
    self: { href: self },
    html: { href: html },
    issue: { href: `${api}/issues/${pull.number}` },
    comments: { href: `${api}/issues/${pull.number}/comments` },
    review_comments: { href: `${self}/comments` },
    review_comment: { href: `${api}/pulls/comments{/number}` },
    commits: { href: `${self}/commits` },
    statuses: { href: `${api}/statuses/${pull.headSha}` },
  };
  return {
    url: self,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: links.issue.href,
    commits_url: links.commits.href,
    review_comments_url: links.review_comments.href,
    review_comment_url: links.review_comment.href,
    comments_url: links.comments.href,
    statuses_url: links.statuses.href,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(urls, pull.user),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: isoTime(pull.createdAt),
    updated_at: isoTime(pull.updatedAt),
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchEnd(urls, pull.headRepo, pull.headRef, pull.headSha),
    base: branchEnd(urls, repo, pull.baseRef, facts.baseSha),
    _links: links,
    author_association: authorAssociation(repo, pull.user),
    auto_merge: null,
    draft: pull.draft,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: "unknown",
    merged_by: null,
    comments: facts.issueComments,
    review_comments: facts.reviewComments,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}

function branchEnd(urls: Urls, repo: RepoRecord, ref: string, sha: string): Record<string, unknown> {
  return { label: `${repo.owner.login}:${ref}`, ref, sha, user: renderUser(urls, repo.owner), repo: renderRepository(urls, repo) };
}
