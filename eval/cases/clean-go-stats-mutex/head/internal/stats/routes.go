package stats

import (
	"sort"
	"sync"
)

// RouteCounter counts requests per route; safe for concurrent use.
type RouteCounter struct {
	mu     sync.Mutex
	counts map[string]uint64
}

func NewRouteCounter() *RouteCounter {
	return &RouteCounter{counts: make(map[string]uint64)}
}

func (c *RouteCounter) Inc(route string) {
	c.mu.Lock()
	c.counts[route]++
	c.mu.Unlock()
}

type RouteCount struct {
	Route string
	Count uint64
}

// Snapshot returns the counts, most requested first.
func (c *RouteCounter) Snapshot() []RouteCount {
	c.mu.Lock()
	out := make([]RouteCount, 0, len(c.counts))
	for route, n := range c.counts {
		out = append(out, RouteCount{Route: route, Count: n})
	}
	c.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Route < out[j].Route
	})
	return out
}
