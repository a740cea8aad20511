package members

import (
	"context"
	"database/sql"
)

type Member struct {
	ID       string
	Name     string
	Email    string
	JoinedAt string
}

func List(ctx context.Context, db *sql.DB, orgID string) ([]Member, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name, email, joined_at FROM members WHERE org_id = $1 ORDER BY name", orgID)
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
