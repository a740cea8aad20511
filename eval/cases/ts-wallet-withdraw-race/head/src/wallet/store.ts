export interface Account {
  readonly id: string;
  readonly balanceCents: number;
  readonly currency: string;
}

export interface AccountStore {
  get(id: string): Promise<Account>;
  update(id: string, patch: Partial<Omit<Account, "id">>): Promise<void>;
}
