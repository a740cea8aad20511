/** Help texts, kept apart so the command code stays readable. */

export const MAIN_HELP = `Usage: longview <command> [options]

Reviews local changes with the same pipeline as the Longview GitHub App.

Commands:
  review     Review a git range, a unified diff or a pull request and print the findings
  context    Print the context-window plan the model would see

Options:
  -h, --help       Show help (also: longview <command> --help)
  -V, --version    Print the version

Exit codes: 0 success, 1 the gate failed (review), 2 usage, input or runtime error.
Docs: docs/cli.md
`;

export const REVIEW_HELP = `Usage: longview review [--base REF] [--head REF] [--repo DIR] [options]
       longview review --diff FILE|- [--repo DIR] [options]
       longview review --pr OWNER/REPO#N|URL [--post] [options]

What to review (default: the current branch since it left the default branch):
  --base REF        Base of the range; the review covers merge-base(REF, head)..head
                    (default: origin/HEAD's branch, else main, else master)
  --head REF        Head of the range (default: HEAD)
  --working-tree    Compare the base with the working tree (uncommitted changes
                    of tracked files) instead of a head commit
  --repo DIR        The repository (default: current directory). With --diff: the
                    directory the diff's paths are relative to; files are read from it
  --diff FILE|-     Review a unified diff file ("-" reads stdin) instead of a git range
  --pr TARGET       Review a pull request on GitHub: OWNER/REPO#N or its URL (GitHub
                    Enterprise: its URL, or GITHUB_API_URL); token from GITHUB_TOKEN
  --post            With --pr: post the review and the check run (default: dry run,
                    nothing is written to GitHub)

Output and gate:
  --format F        text (default), json, markdown or sarif
  -o, --output FILE Write the report to FILE instead of stdout
  --fail-on POLICY  P0..P3, optionally with categories (P1:bug,security), or "none"
                    (default: the gate of .github/longview.yml, P1 in bug,security)
  --config FILE     Repository config (default: <repo>/.github/longview.yml)
  --budget N        Tokens per context window (default: LONGVIEW_WINDOW_TOKENS)
  -q, --quiet       Only errors on stderr
  -v, --verbose     Informational logs on stderr

Without OPENAI_API_KEY (or a local model profile, LONGVIEW_MODEL_PROFILE=ollama|vllm|llamacpp|custom)
the review runs offline with the built-in analyzers only.
Exit codes: 0 the gate passed, 1 the gate failed, 2 usage, input or runtime error.
`;

export const CONTEXT_HELP = `Usage: longview context --diff FILE|- [--repo DIR] [options]
       longview context [--base REF] [--head REF] [--working-tree] [--repo DIR] [options]

Prints the plan of context windows (what each model call would see) for a change,
built exactly as the review builds it.

  --format F        text (default) or json
  --budget N        Tokens per context window (default: LONGVIEW_WINDOW_TOKENS)
  --config FILE     Repository config (default: <repo>/.github/longview.yml)
  -o, --output FILE Write the plan to FILE instead of stdout
  -q, --quiet / -v, --verbose
`;
