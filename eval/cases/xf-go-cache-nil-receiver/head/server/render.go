package server

import "example.com/app/cache"

type Renderer struct {
	// Pages is nil when caching is disabled (LONGVIEW_CACHE=off).
	Pages *cache.Cache
}

func (r *Renderer) Cached(path string) []byte {
	return r.Pages.Get(path)
}
