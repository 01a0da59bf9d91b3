// Package tests holds a store and its tests, where findings have low confidence.
package tests

import "sync"

type Store struct {
	mu   sync.Mutex
	data map[string]string
}

func (s *Store) Put(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = v
}

func (s *Store) Get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}
