export interface GeoResult {
  readonly country: string;
  readonly city: string | null;
}

export async function lookupIp(ip: string): Promise<GeoResult> {
  const res = await fetch(`https://geo.example-provider.com/v1/${encodeURIComponent(ip)}?key=${process.env.GEO_KEY}`);
  if (!res.ok) throw new Error(`geoip lookup failed: ${res.status}`);
  const body = (await res.json()) as { country_code: string; city?: string };
  return { country: body.country_code, city: body.city ?? null };
}
