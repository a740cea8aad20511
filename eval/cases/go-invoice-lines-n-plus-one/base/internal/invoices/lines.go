package invoices

import (
	"context"
	"database/sql"
)

type Line struct {
	SKU        string
	Quantity   int
	PriceCents int64
}

func Lines(ctx context.Context, db *sql.DB, invoiceID string) ([]Line, error) {
	rows, err := db.QueryContext(ctx, "SELECT sku, quantity, price_cents FROM invoice_lines WHERE invoice_id = $1 ORDER BY position", invoiceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []Line
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.SKU, &l.Quantity, &l.PriceCents); err != nil {
			return nil, err
		}
		lines = append(lines, l)
	}
	return lines, rows.Err()
}
