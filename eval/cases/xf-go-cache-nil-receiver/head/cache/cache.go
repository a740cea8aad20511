package cache

type Cache struct {
	items map[string][]byte
}

func NewCache() *Cache { return &Cache{items: map[string][]byte{}} }

// Get returns the cached value, or nil.
func (c *Cache) Get(key string) []byte {
	return c.items[key]
}
