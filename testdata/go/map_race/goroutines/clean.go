package goroutines

import (
	"os"
	"strings"
	"sync"
)

// Guarded by a mutex.
func CountLocked(files []string) map[string]int {
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for _, name := range files {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			data, _ := os.ReadFile(name)
			for _, w := range strings.Fields(string(data)) {
				mu.Lock()
				counts[w]++
				mu.Unlock()
			}
		}(name)
	}
	wg.Wait()
	return counts
}

// Each goroutine builds its own map and hands it over on a channel.
func CountPerFile(files []string) []map[string]int {
	ch := make(chan map[string]int)
	for _, name := range files {
		go func(name string) {
			local := map[string]int{}
			data, _ := os.ReadFile(name)
			for _, w := range strings.Fields(string(data)) {
				local[w]++
			}
			ch <- local
		}(name)
	}
	var out []map[string]int
	for range files {
		out = append(out, <-ch)
	}
	return out
}

// One goroutine writes; the caller reads after Wait.
func Background(keys []string) map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, k := range keys {
			m[k] = i
		}
	}()
	wg.Wait()
	return m
}

// Filled before the goroutines start; they only read it.
func Lookup(keys []string) []int {
	index := map[string]int{}
	for i, k := range keys {
		index[k] = i
	}
	out := make([]int, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func(i int, k string) {
			defer wg.Done()
			out[i] = index[k]
		}(i, k)
	}
	wg.Wait()
	return out
}

// A map made in each iteration belongs to that iteration's goroutine.
func Batches(batches [][]string, sink func(map[string]bool)) {
	var wg sync.WaitGroup
	for _, b := range batches {
		set := map[string]bool{}
		wg.Add(1)
		go func(b []string) {
			defer wg.Done()
			for _, s := range b {
				set[s] = true
			}
			sink(set)
		}(b)
	}
	wg.Wait()
}

// Results come back on a channel; only this goroutine writes the map.
func Collect(urls []string, fetch func(string) int) map[string]int {
	type result struct {
		url  string
		code int
	}
	ch := make(chan result)
	for _, u := range urls {
		go func(u string) { ch <- result{u, fetch(u)} }(u)
	}
	codes := map[string]int{}
	for range urls {
		r := <-ch
		codes[r.url] = r.code
	}
	return codes
}

// sync.Map needs no lock.
func Mark(keys []string) *sync.Map {
	var seen sync.Map
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			seen.Store(k, true)
		}(k)
	}
	wg.Wait()
	return &seen
}
