/**
 * A secret shown to people: at most its first four characters (fewer for
 * short values, none below eight) and an ellipsis, so a reader can tell which
 * key is meant without the value being disclosed.
 */
export function maskSecret(value: string): string {
  const shown = value.length < 8 ? 0 : Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}…`;
}
