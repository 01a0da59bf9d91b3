package tests

import "testing"

// fill stores each key as its own value.
func fill(t *testing.T, s *Store, keys []string) bool {
	s.mu.Lock()
	for _, k := range keys {
		if k == "" {
			t.Error("empty key")
			return false // want "return-without-unlock: s.mu \(locked on line 7\) is still held when the function returns here"
		}
		s.data[k] = k
	}
	s.mu.Unlock()
	return true
}

func TestPut(t *testing.T) {
	s := &Store{data: map[string]string{}}
	if !fill(t, s, []string{"a", "b"}) {
		return
	}
	s.mu.Lock()
	if s.Get("a") != "a" { // want "double-lock: s.Get locks s.mu, which is already held here \(locked on line 24\)"
		t.Error("a missing")
	}
	s.mu.Unlock()
}
