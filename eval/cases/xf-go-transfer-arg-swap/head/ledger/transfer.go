package ledger

// Transfer moves amount cents to an account from another.
func Transfer(to, from string, amount int64) error {
	if amount <= 0 {
		return ErrAmount
	}
	return move(from, to, amount)
}
