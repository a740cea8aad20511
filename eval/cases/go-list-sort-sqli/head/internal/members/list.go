package members

import (
	"context"
	"database/sql"
	"fmt"
)

type Member struct {
	ID       string
	Name     string
	Email    string
	JoinedAt string
}

// List returns the organization's members sorted by sortBy ("name", "email", "joined_at"), desc if asked.
func List(ctx context.Context, db *sql.DB, orgID, sortBy string, desc bool) ([]Member, error) {
	direction := "ASC"
	if desc {
		direction = "DESC"
	}
	query := fmt.Sprintf("SELECT id, name, email, joined_at FROM members WHERE org_id = $1 ORDER BY %s %s", sortBy, direction)
	rows, err := db.QueryContext(ctx, query, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.Name, &m.Email, &m.JoinedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
