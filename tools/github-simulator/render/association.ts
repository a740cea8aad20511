import type { RepoRecord, UserRecord } from "../state.js";

export type AuthorAssociation = "OWNER" | "COLLABORATOR" | "CONTRIBUTOR" | "NONE";

/** How GitHub labels a user's relation to a repository next to their comments. */
export function authorAssociation(repo: RepoRecord, user: UserRecord): AuthorAssociation {
  if (user.id === repo.owner.id) return "OWNER";
  const permission = repo.permissions.get(user.login.toLowerCase());
  if (permission && permission !== "none" && permission !== "read") return "COLLABORATOR";
  if (user.type === "Bot") return "NONE";
  return "CONTRIBUTOR";
}
