package cache

type Cache struct {
	items map[string][]byte
}

func NewCache() *Cache { return &Cache{items: map[string][]byte{}} }

// Get returns the cached value, or nil. A nil *Cache caches nothing.
func (c *Cache) Get(key string) []byte {
	if c == nil {
		return nil
	}
	return c.items[key]
}
