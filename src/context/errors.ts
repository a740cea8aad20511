/** The budget leaves no room for the code under review, or is not a budget at all. */
export class WindowBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WindowBudgetError";
  }
}

/** A plan broke one of its own guarantees (a window over budget, a changed line reviewed twice or never). A bug, never expected. */
export class WindowPlanInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WindowPlanInvariantError";
  }
}

/** The change set breaks an assumption every stage relies on (e.g. a path listed twice). */
export class InvalidChangeSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidChangeSetError";
  }
}
