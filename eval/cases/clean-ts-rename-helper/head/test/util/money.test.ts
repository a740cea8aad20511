import { describe, expect, test } from "vitest";
import { formatCents } from "../../src/util/money.js";

describe("formatCents", () => {
  test("formats cents as dollars", () => {
    expect(formatCents(123456)).toBe("$1,234.56");
  });

  test("keeps the sign of refunds", () => {
    expect(formatCents(-250)).toBe("-$2.50");
  });

  test("uses the given currency", () => {
    expect(formatCents(1000, "EUR", "de-DE")).toBe("10,00\u00a0€");
  });
});
