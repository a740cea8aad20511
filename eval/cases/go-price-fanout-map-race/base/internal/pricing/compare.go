package pricing

import (
	"context"
	"fmt"
)

type Supplier interface {
	Name() string
	Quote(ctx context.Context, sku string) (int64, error)
}

// Quotes returns each supplier's price in cents for sku; suppliers that fail are left out.
func Quotes(ctx context.Context, suppliers []Supplier, sku string) (map[string]int64, error) {
	quotes := make(map[string]int64, len(suppliers))
	for _, s := range suppliers {
		cents, err := s.Quote(ctx, sku)
		if err != nil {
			continue
		}
		quotes[s.Name()] = cents
	}
	if len(quotes) == 0 {
		return nil, fmt.Errorf("no supplier quoted %s", sku)
	}
	return quotes, nil
}
