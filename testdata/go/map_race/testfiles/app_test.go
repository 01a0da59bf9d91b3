package testfiles

import (
	"sync"
	"testing"
)

// Tests set up state before any goroutine runs: not reported.
func TestAllow(t *testing.T) {
	l := NewLimiter()
	seed(l, "a", 1)
	if !l.Allow("a") || l.Allow("a") {
		t.Fatal("want one token")
	}
}

func seed(l *Limiter, key string, n int) {
	l.tokens[key] = n
}

// Goroutines in a loop that write one map race in tests too.
func TestParallel(t *testing.T) {
	l := NewLimiter()
	got := map[int]bool{}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			got[i] = l.Allow("a") // want "goroutines started in this loop write map got"
		}(i)
	}
	wg.Wait()
}
