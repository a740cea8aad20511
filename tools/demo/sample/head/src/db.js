import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

/** Runs one parameterised statement and returns its rows. */
export async function query(sql, params = []) {
  const result = await pool.query(sql, params);
  return result.rows;
}
