export interface GeoResult {
  readonly country: string;
  readonly city: string | null;
}

const cache = new Map<string, GeoResult>();

export async function lookupIp(ip: string): Promise<GeoResult> {
  const cached = cache.get(ip);
  if (cached) return cached;
  const res = await fetch(`https://geo.example-provider.com/v1/${encodeURIComponent(ip)}?key=${process.env.GEO_KEY}`);
  if (!res.ok) throw new Error(`geoip lookup failed: ${res.status}`);
  const body = (await res.json()) as { country_code: string; city?: string };
  const result = { country: body.country_code, city: body.city ?? null };
  cache.set(ip, result);
  return result;
}
