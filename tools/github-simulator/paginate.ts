/**
 * GitHub's page-based pagination: `per_page` (default 30, at most 100) and
 * `page`, with a `Link` header naming the prev/next/last/first pages.
 */

export interface Page<T> {
  readonly items: readonly T[];
  readonly headers: Record<string, string>;
}

export function paginate<T>(items: readonly T[], query: URLSearchParams, selfUrl: string): Page<T> {
  const perPage = clamp(query.get("per_page"), 30, 1, 100);
  const page = clamp(query.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = linkHeader(selfUrl, query, perPage, page, last);
  return { items: slice, headers: link ? { link } : {} };
}

function linkHeader(selfUrl: string, query: URLSearchParams, perPage: number, page: number, last: number): string | null {
  const to = (target: number) => {
    const params = new URLSearchParams(query);
    params.set("per_page", String(perPage));
    params.set("page", String(target));
    return `<${selfUrl}?${params.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${to(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${to(page + 1)}; rel="next"`, `${to(last)}; rel="last"`);
  if (page > 1) parts.push(`${to(1)}; rel="first"`);
  return parts.length > 0 ? parts.join(", ") : null;
}

function clamp(raw: string | null, fallback: number, min: number, max: number): number {
  const value = Number(raw);
  if (raw === null || raw === "" || !Number.isInteger(value) || value < min) return fallback;
  return Math.min(value, max);
}
