import type { IntegrationRecord, UserRecord } from "../state.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/** GitHub's `simple-user`. Bots (the app's `slug[bot]` user) link to the app page. */
export function renderUser(urls: Urls, user: UserRecord): Record<string, unknown> {
  const api = urls.api(`/users/${encodeURIComponent(user.login)}`);
  const htmlPath = user.type === "Bot" ? `/apps/${encodeURIComponent(user.login.replace(/\[bot\]$/, ""))}` : `/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "Bot" : "User", user.id),
    avatar_url: urls.html(`/avatars/u/${user.id}?v=4`),
    gravatar_id: "",
    url: api,
    html_url: urls.html(htmlPath),
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** GitHub's `integration` (a GitHub App), as embedded in check runs and installations. */
export function renderApp(urls: Urls, app: IntegrationRecord): Record<string, unknown> {
  return {
    id: app.id,
    client_id: app.clientId,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    owner: renderUser(urls, app.owner),
    name: app.name,
    description: app.slug === "github-actions" ? "Automate your workflow from idea to production" : "Simulated GitHub App",
    external_url: urls.html(`/apps/${app.slug}`),
    html_url: urls.html(`/apps/${app.slug}`),
    created_at: isoTime(app.createdAt),
    updated_at: isoTime(app.createdAt),
    permissions: { ...app.permissions },
    events: [...app.events],
  };
}
