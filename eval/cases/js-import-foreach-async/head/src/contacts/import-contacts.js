const { normalize } = require("./normalize");

async function importContacts(rows, repo, log) {
  let imported = 0;
  let skipped = 0;
  rows.forEach(async (row) => {
    const contact = normalize(row);
    if (!contact) {
      skipped++;
      return;
    }
    await repo.upsertByEmail(contact);
    imported++;
  });
  log.info({ imported, skipped }, "contacts imported");
  return { imported, skipped };
}

module.exports = { importContacts };
