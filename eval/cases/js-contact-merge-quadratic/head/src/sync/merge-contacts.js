/**
 * Merges CRM contacts into existing ones by email (case-insensitive).
 * Returns the contacts to insert and the ones to update.
 */
function mergeContacts(existing, incoming) {
  const toInsert = [];
  const toUpdate = [];
  for (const contact of incoming) {
    const email = contact.email.trim().toLowerCase();
    const match = existing.find((c) => c.email.toLowerCase() === email);
    if (!match) {
      toInsert.push({ ...contact, email });
      continue;
    }
    const changed = match.name !== contact.name || match.phone !== contact.phone || match.company !== contact.company;
    if (changed) toUpdate.push({ id: match.id, name: contact.name, phone: contact.phone, company: contact.company });
  }
  return { toInsert, toUpdate };
}

module.exports = { mergeContacts };
