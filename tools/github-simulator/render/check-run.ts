import type { AppRecord, CheckRunRecord, PullRecord } from "../state.js";
import { renderApp } from "./user.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/** GitHub's `check-run`; `pulls` are the open pull requests whose head is the run's commit. */
export function renderCheckRun(
  urls: Urls,
  app: AppRecord,
  run: CheckRunRecord,
  pulls: readonly PullRecord[],
  baseShas: ReadonlyMap<number, string>,
): Record<string, unknown> {
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
    app: renderApp(urls, app),
    pull_requests: pulls.map((pull) => ({
      id: pull.id,
      number: pull.number,
      url: urls.api(`/repos/${pull.repo.fullName}/pulls/${pull.number}`),
      head: { ref: pull.headRef, sha: pull.headSha, repo: miniRepo(urls, pull.headRepo.id, pull.headRepo.fullName, pull.headRepo.name) },
      base: { ref: pull.baseRef, sha: baseShas.get(pull.id) ?? "", repo: miniRepo(urls, pull.repo.id, pull.repo.fullName, pull.repo.name) },
    })),
  };
}

function miniRepo(urls: Urls, id: number, fullName: string, name: string): Record<string, unknown> {
  return { id, url: urls.api(`/repos/${fullName}`), name };
}
