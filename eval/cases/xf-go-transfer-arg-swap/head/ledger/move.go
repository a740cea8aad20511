package ledger

import "errors"

var ErrAmount = errors.New("amount must be positive")

func move(from, to string, amount int64) error { return nil }
