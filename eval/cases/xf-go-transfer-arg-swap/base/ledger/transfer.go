package ledger

// Transfer moves amount cents from one account to another.
func Transfer(from, to string, amount int64) error {
	if amount <= 0 {
		return ErrAmount
	}
	return move(from, to, amount)
}
