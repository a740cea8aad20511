package api

import "example.com/shop/ledger"

func PayOut(merchant, platform string, cents int64) error {
	return ledger.Transfer(platform, merchant, cents)
}
