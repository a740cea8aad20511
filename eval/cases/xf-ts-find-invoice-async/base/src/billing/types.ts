export interface Invoice {
  readonly id: string;
  readonly paid: boolean;
}
