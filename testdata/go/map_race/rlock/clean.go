package rlock

import (
	"sort"
	"sync"
)

// Upgrades to the write lock before writing.
func (c *Cache) GetOrLoad(key string) []byte {
	c.mu.RLock()
	e, ok := c.items[key]
	c.mu.RUnlock()
	if ok {
		return e.val
	}
	v := c.load(key)
	c.mu.Lock()
	c.items[key] = entry{val: v}
	c.mu.Unlock()
	return v
}

// A snapshot is a local map.
func (c *Cache) Snapshot() map[string][]byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string][]byte, len(c.items))
	for k, e := range c.items {
		out[k] = e.val
	}
	return out
}

// Reads only.
func (c *Cache) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The write lock.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
	delete(c.hits, key)
}

type counters struct {
	mu sync.Mutex
	n  map[string]int
}

type Index struct {
	mu    sync.RWMutex
	terms map[string][]int
	stats *counters
}

// The map written under the read lock has its own mutex, held.
func (x *Index) Search(term string) []int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	x.stats.mu.Lock()
	x.stats.n[term]++
	x.stats.mu.Unlock()
	return x.terms[term]
}

// A new index is filled before anyone else sees it.
func (x *Index) Filter(keep func(string) bool) *Index {
	x.mu.RLock()
	defer x.mu.RUnlock()
	y := &Index{terms: map[string][]int{}, stats: x.stats}
	for t, ids := range x.terms {
		if keep(t) {
			y.terms[t] = ids
		}
	}
	return y
}

var (
	flagsMu sync.RWMutex
	flags   = map[string]bool{}
)

func Enabled(name string) bool {
	flagsMu.RLock()
	defer flagsMu.RUnlock()
	return flags[name]
}

func SetFlag(name string, on bool) {
	flagsMu.Lock()
	defer flagsMu.Unlock()
	flags[name] = on
}
