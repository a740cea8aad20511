const users = new Map();

export async function findUser(id) {
  return users.get(id) ?? null;
}
