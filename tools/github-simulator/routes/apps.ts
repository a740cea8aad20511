import { notAccessibleByIntegration, notFound } from "../errors.js";
import { renderUser } from "../render/user.js";
import { isoTime } from "../render/urls.js";
import type { Route } from "../router.js";
import type { InstallationRecord } from "../state.js";
import type { World } from "../world.js";

/** App-authenticated endpoints: installation tokens and installation lookups. */
export function appRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/app",
      auth: "app",
      async handle() {
        const { app, urls } = world;
        return {
          status: 200,
          json: {
            id: app.id,
            slug: app.slug,
            node_id: `A_${app.id}`,
            client_id: app.clientId,
            owner: renderUser(urls, app.owner),
            name: app.name,
            description: "",
            external_url: urls.html(`/apps/${app.slug}`),
            html_url: urls.html(`/apps/${app.slug}`),
            created_at: isoTime(app.createdAt),
            updated_at: isoTime(app.createdAt),
            permissions: { ...app.permissions },
            events: [...app.events],
            installations_count: world.state.installations.size,
          },
        };
      },
    },
    {
      method: "POST",
      template: "/app/installations/{installation_id}/access_tokens",
      auth: "app",
      async handle({ params }) {
        const installation = findInstallation(world, params["installation_id"]);
        const issued = world.tokens.issue(installation.id);
        return {
          status: 201,
          json: {
            token: issued.token,
            expires_at: isoTime(issued.expiresAt),
            permissions: { ...world.app.permissions },
            repository_selection: "all",
          },
        };
      },
    },
    {
      method: "GET",
      template: "/app/installations/{installation_id}",
      auth: "app",
      async handle({ params }) {
        return { status: 200, json: renderInstallation(world, findInstallation(world, params["installation_id"])) };
      },
    },
    {
      // An installation token (GitHub Actions' GITHUB_TOKEN is one) acts as no user: GitHub answers 403.
      method: "GET",
      template: "/user",
      auth: "installation",
      async handle() {
        throw notAccessibleByIntegration();
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/installation",
      auth: "app",
      async handle({ params }) {
        const repo = world.state.repo(params["owner"] ?? "", params["repo"] ?? "");
        const installation = repo?.installationId ? world.state.installations.get(repo.installationId) : undefined;
        if (!installation) throw notFound();
        return { status: 200, json: renderInstallation(world, installation) };
      },
    },
  ];
}

function findInstallation(world: World, id: string | undefined): InstallationRecord {
  const installation = world.state.installations.get(Number(id));
  if (!installation) throw notFound();
  return installation;
}

function renderInstallation(world: World, installation: InstallationRecord): Record<string, unknown> {
  const urls = world.urls;
  return {
    id: installation.id,
    account: renderUser(urls, installation.account),
    access_tokens_url: urls.api(`/app/installations/${installation.id}/access_tokens`),
    repositories_url: urls.api("/installation/repositories"),
    html_url: urls.html(`/settings/installations/${installation.id}`),
    app_id: world.app.id,
    client_id: world.app.clientId,
    app_slug: world.app.slug,
    target_id: installation.account.id,
    target_type: installation.account.type === "Organization" ? "Organization" : "User",
    permissions: { ...world.app.permissions },
    events: [...world.app.events],
    created_at: isoTime(installation.createdAt),
    updated_at: isoTime(installation.createdAt),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    repository_selection: "all",
    suspended_by: null,
    suspended_at: null,
  };
}
