function normalize(row) {
  const email = String(row.email ?? "").trim().toLowerCase();
  if (!email.includes("@")) return null;
  return { email, name: String(row.name ?? "").trim(), company: row.company?.trim() || null };
}

module.exports = { normalize };
