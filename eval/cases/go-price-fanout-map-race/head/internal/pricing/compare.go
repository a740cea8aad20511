package pricing

import (
	"context"
	"fmt"
	"sync"
)

type Supplier interface {
	Name() string
	Quote(ctx context.Context, sku string) (int64, error)
}

// Quotes returns each supplier's price in cents for sku; suppliers that fail are left out.
func Quotes(ctx context.Context, suppliers []Supplier, sku string) (map[string]int64, error) {
	quotes := make(map[string]int64, len(suppliers))
	var wg sync.WaitGroup
	for _, s := range suppliers {
		wg.Add(1)
		go func(s Supplier) {
			defer wg.Done()
			cents, err := s.Quote(ctx, sku)
			if err != nil {
				return
			}
			quotes[s.Name()] = cents
		}(s)
	}
	wg.Wait()
	if len(quotes) == 0 {
		return nil, fmt.Errorf("no supplier quoted %s", sku)
	}
	return quotes, nil
}
