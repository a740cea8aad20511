import { renderUser } from "../render/user.js";
import { readableRepo } from "../repo-access.js";
import type { Route } from "../router.js";
import type { Permission, RepoRecord } from "../state.js";
import type { World } from "../world.js";

/**
 * `GET .../collaborators/{username}/permission`: GitHub folds the fine-grained
 * role into admin/write/read/none (`permission`) and gives the role itself as
 * `role_name`.
 */

const LEGACY: Record<Permission, "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

export function collaboratorRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/collaborators/{username}/permission",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const user = world.state.user(params["username"] ?? "");
        const role = permissionOf(repo, user.login);
        return {
          status: 200,
          json: {
            permission: LEGACY[role],
            role_name: role,
            user: { ...renderUser(world.urls, user), role_name: role, permissions: flags(role) },
          },
        };
      },
    },
  ];
}

/** Explicit settings win; the owner administers; anyone may read a public repository. */
export function permissionOf(repo: RepoRecord, login: string): Permission {
  const explicit = repo.permissions.get(login.toLowerCase());
  if (explicit) return explicit;
  if (repo.owner.login.toLowerCase() === login.toLowerCase()) return "admin";
  return repo.private ? "none" : "read";
}

function flags(role: Permission): Record<string, boolean> {
  const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(role);
  return { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 };
}
