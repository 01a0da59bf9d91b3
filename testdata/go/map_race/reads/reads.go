// Package reads: maps read without the lock their writers take.
package reads

import (
	"net/http"
	"sort"
	"sync"
)

type Store struct {
	mu     sync.Mutex
	data   map[string]string
	owners map[string]string
}

func NewStore() *Store {
	return &Store{data: map[string]string{}, owners: map[string]string{}}
}

func (s *Store) Put(k, v, owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = v
	s.owners[k] = owner
}

func (s *Store) Has(k string) bool {
	_, ok := s.data[k] // want "unguarded-read: map s.data is read without s.mu while it is written under that lock at line 23.*concurrent map read and map write"
	return ok
}

func (s *Store) Keys() []string {
	var keys []string
	for k := range s.data { // want "map s.data is read without s.mu"
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Read after the lock is released.
func (s *Store) Swap(k, v string) string {
	s.mu.Lock()
	s.data[k] = v
	s.mu.Unlock()
	return s.owners[k] // want "map s.owners is read without s.mu"
}

// Read in a goroutine.
func (s *Store) Watch(k string, out chan<- string) {
	go func() {
		out <- s.data[k] // want "map s.data is read without s.mu"
	}()
}

var (
	aclMu sync.Mutex
	acl   = map[string]bool{}
)

func Grant(user string) {
	aclMu.Lock()
	acl[user] = true
	aclMu.Unlock()
}

func Revoke(user string) {
	aclMu.Lock()
	defer aclMu.Unlock()
	delete(acl, user)
}

func Admin(w http.ResponseWriter, r *http.Request) {
	if !acl[r.FormValue("user")] { // want "map acl is read without aclMu"
		http.Error(w, "forbidden", http.StatusForbidden)
	}
}
