// Package goroutines: maps captured by goroutines that write them at the same time.
package goroutines

import (
	"net/http"
	"os"
	"strings"
	"sync"

	"example.com/analysistest/internal/errgroup"
)

// Word counts per file, one goroutine per file.
func CountWords(files []string) map[string]int {
	counts := map[string]int{}
	var wg sync.WaitGroup
	for _, name := range files {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			data, err := os.ReadFile(name)
			if err != nil {
				return
			}
			for _, w := range strings.Fields(string(data)) {
				counts[w]++ // want "unguarded-write: goroutines started in this loop write map counts at the same time without a lock"
			}
		}(name)
	}
	wg.Wait()
	return counts
}

// Status codes per URL.
func Probe(urls []string) map[string]int {
	status := make(map[string]int, len(urls))
	var wg sync.WaitGroup
	for i := range urls {
		u := urls[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Head(u)
			if err != nil {
				status[u] = -1 // want "goroutines started in this loop write map status"
				return
			}
			resp.Body.Close()
			status[u] = resp.StatusCode // want "goroutines started in this loop write map status"
		}()
	}
	wg.Wait()
	return status
}

// Sizes with an errgroup.
func Sizes(paths []string) (map[string]int64, error) {
	var g errgroup.Group
	sizes := map[string]int64{}
	for _, p := range paths {
		p := p
		g.Go(func() error {
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			sizes[p] = fi.Size() // want "goroutines started in this loop write map sizes"
			return nil
		})
	}
	return sizes, g.Wait()
}

// Pruning stale entries concurrently.
func Prune(seen map[string]bool, stale []string) {
	var wg sync.WaitGroup
	for _, k := range stale {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			delete(seen, k) // want "goroutines started in this loop write map seen"
		}(k)
	}
	wg.Wait()
}

// Two different goroutines write the same map.
func Merge(a, b []string) map[string]bool {
	set := map[string]bool{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, s := range a {
			set[s] = true // want "map set is written by this goroutine while another goroutine \\(line 101\\) writes it, without a lock"
		}
	}()
	go func() {
		defer wg.Done()
		for _, s := range b {
			set[s] = true // want "map set is written by this goroutine while another goroutine \\(line 95\\) writes it, without a lock"
		}
	}()
	wg.Wait()
	return set
}
