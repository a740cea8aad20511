import type { AccountStore } from "./store.js";
import type { Ledger } from "./ledger.js";

export class InsufficientFundsError extends Error {
  constructor(readonly accountId: string, readonly requestedCents: number) {
    super(`account ${accountId} cannot cover ${requestedCents} cents`);
  }
}

export async function withdraw(accounts: AccountStore, ledger: Ledger, accountId: string, amountCents: number): Promise<number> {
  if (!Number.isInteger(amountCents) || amountCents <= 0) throw new RangeError("amount must be a positive number of cents");
  const account = await accounts.get(accountId);
  if (account.balanceCents < amountCents) throw new InsufficientFundsError(accountId, amountCents);

  const balanceCents = account.balanceCents - amountCents;
  await accounts.update(accountId, { balanceCents });
  await ledger.record({ accountId, type: "withdrawal", amountCents });
  return balanceCents;
}
