package audit

import (
	"context"
	"database/sql"
	"time"
)

const (
	defaultPageSize = 100
	maxPageSize     = 500
)

type Event struct {
	ID        int64
	Action    string
	CreatedAt time.Time
}

// Page returns up to limit events of the organization with id > after, oldest first, and the cursor of the next page (0 when done).
func Page(ctx context.Context, db *sql.DB, orgID string, after int64, limit int) ([]Event, int64, error) {
	if limit <= 0 {
		limit = defaultPageSize
	}
	if limit > maxPageSize {
		limit = maxPageSize
	}
	rows, err := db.QueryContext(ctx,
		"SELECT id, action, created_at FROM audit_events WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		orgID, after, limit+1)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	events := make([]Event, 0, limit)
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.Action, &e.CreatedAt); err != nil {
			return nil, 0, err
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(events) > limit {
		return events[:limit], events[limit-1].ID, nil
	}
	return events, 0, nil
}
