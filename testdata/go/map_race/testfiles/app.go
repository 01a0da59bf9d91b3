// Package testfiles: how test code is treated.
package testfiles

import "sync"

type Limiter struct {
	mu     sync.Mutex
	tokens map[string]int
}

func NewLimiter() *Limiter { return &Limiter{tokens: map[string]int{}} }

func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens[key] <= 0 {
		return false
	}
	l.tokens[key]--
	return true
}
