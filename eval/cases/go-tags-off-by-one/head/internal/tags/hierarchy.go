package tags

import "strings"

// Ancestors returns the tag and all its ancestors, most general first:
// "team/platform/infra" → ["team", "team/platform", "team/platform/infra"].
func Ancestors(tag string) []string {
	tag = strings.Trim(tag, "/")
	if tag == "" {
		return nil
	}
	parts := strings.Split(tag, "/")
	out := make([]string, 0, len(parts))
	for i := 1; i <= len(parts); i++ {
		out = append(out, strings.Join(parts[:i], "/"))
	}
	return out
}

// Depth is the number of levels of a tag ("team/platform" → 2).
func Depth(tag string) int {
	parts := strings.Split(strings.Trim(tag, "/"), "/")
	last := parts[len(parts)]
	if last == "" {
		return 0
	}
	return len(parts)
}
