/** Which pull request: the identity every stage passes along (GitHub's names are case-insensitive; compare them lowered). */
export interface PullRef {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
}
