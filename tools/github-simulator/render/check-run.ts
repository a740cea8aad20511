import type { CheckAnnotation, CheckRunRecord, PullRecord, RepoRecord } from "../state.js";
import { renderApp } from "./user.js";
import { encodePath, isoTime, nodeId, type Urls } from "./urls.js";

/** GitHub's `check-run`; `pulls` are the open pull requests whose head is the run's commit. */
export function renderCheckRun(urls: Urls, run: CheckRunRecord, pulls: readonly PullRecord[], baseShas: ReadonlyMap<number, string>): Record<string, unknown> {
  const self = urls.api(`/repos/${run.repo.fullName}/check-runs/${run.id}`);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId,
    url: self,
    html_url: urls.html(`/${run.repo.fullName}/runs/${run.id}`),
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: isoTime(run.startedAt),
    completed_at: run.completedAt ? isoTime(run.completedAt) : null,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${self}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: renderApp(urls, run.app),
    pull_requests: renderPullsMinimal(urls, pulls, baseShas),
  };
}

/** GitHub's `check-annotation`: the stored annotation with every optional field spelled out and a link to the file at the run's commit. */
export function renderAnnotation(urls: Urls, repo: RepoRecord, headSha: string, annotation: CheckAnnotation): Record<string, unknown> {
  return {
    path: annotation.path,
    blob_href: urls.html(`/${repo.fullName}/blob/${headSha}/${encodePath(annotation.path)}`),
    start_line: annotation.start_line,
    end_line: annotation.end_line,
    start_column: annotation.start_column ?? null,
    end_column: annotation.end_column ?? null,
    annotation_level: annotation.annotation_level,
    title: annotation.title ?? null,
    message: annotation.message,
    raw_details: annotation.raw_details ?? null,
  };
}

/** GitHub's `pull-request-minimal` list, as embedded in check runs, check suites and workflow runs. */
export function renderPullsMinimal(urls: Urls, pulls: readonly PullRecord[], baseShas: ReadonlyMap<number, string>): Record<string, unknown>[] {
  return pulls.map((pull) => ({
    id: pull.id,
    number: pull.number,
    url: urls.api(`/repos/${pull.repo.fullName}/pulls/${pull.number}`),
    head: { ref: pull.headRef, sha: pull.headSha, repo: miniRepo(urls, pull.headRepo) },
    base: { ref: pull.baseRef, sha: baseShas.get(pull.id) ?? "", repo: miniRepo(urls, pull.repo) },
  }));
}

function miniRepo(urls: Urls, repo: RepoRecord): Record<string, unknown> {
  return { id: repo.id, url: urls.api(`/repos/${repo.fullName}`), name: repo.name };
}
