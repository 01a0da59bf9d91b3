// Package rlock: maps written while only the read lock of their RWMutex is held.
package rlock

import (
	"net/http"
	"sync"
	"time"
)

type entry struct {
	val     []byte
	expires time.Time
}

type Cache struct {
	mu    sync.RWMutex
	items map[string]entry
	hits  map[string]int
	load  func(string) []byte
}

// Lazy fill under the read lock.
func (c *Cache) Get(key string) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	if !ok {
		e = entry{val: c.load(key), expires: time.Now().Add(time.Minute)}
		c.items[key] = e // want "write-under-rlock: map c.items is written while only the read lock of c.mu is held.*concurrent map writes"
	}
	return e.val
}

// A counter bumped by readers.
func (c *Cache) Peek(key string) bool {
	c.mu.RLock()
	_, ok := c.items[key]
	c.hits[key]++ // want "map c.hits is written while only the read lock of c.mu is held"
	c.mu.RUnlock()
	return ok
}

// Expired entries dropped by a reader.
func (c *Cache) Fresh(key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	if ok && time.Now().After(e.expires) {
		delete(c.items, key) // want "map c.items is written while only the read lock"
		return false
	}
	return ok
}

// A sweep under the read lock.
func (c *Cache) Sweep(now time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k) // want "map c.items is written while only the read lock"
		}
	}
}

func (c *Cache) Set(key string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = entry{val: v, expires: time.Now().Add(time.Minute)}
}

var (
	routesMu sync.RWMutex
	routes   = map[string]http.HandlerFunc{}
	misses   = map[string]int{}
)

// A package-level map counted under the read lock.
func Dispatch(w http.ResponseWriter, r *http.Request) {
	routesMu.RLock()
	defer routesMu.RUnlock()
	h, ok := routes[r.URL.Path]
	if !ok {
		misses[r.URL.Path] += 1 // want "map misses is written while only the read lock of routesMu is held"
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

func Route(path string, h http.HandlerFunc) {
	routesMu.Lock()
	routes[path] = h
	routesMu.Unlock()
}
