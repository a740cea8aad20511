export interface Profile {
  readonly firstName: string;
  readonly lastName: string;
}

export function displayName(profile: Profile | undefined): string {
  if (!profile) return "Guest";
  return `${profile.firstName} ${profile.lastName}`.trim();
}
