import { parseDate } from "../util/dates.js";

export function monthOf(row) {
  return parseDate(row.createdAt).getUTCMonth() + 1;
}
