package handler

import (
	"context"
	"io"
	"net/http"
	"sync"
)

// The handler waits for its goroutines.
func (s *Server) Parallel(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	var a, b []byte
	wg.Add(2)
	go func() {
		defer wg.Done()
		a, _ = io.ReadAll(r.Body)
	}()
	go func() {
		defer wg.Done()
		b = []byte(r.Context().Value("k").(string))
	}()
	wg.Wait()
	w.Write(append(a, b...))
}

// The handler waits for the goroutine to close done.
func (s *Server) Stream(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.WriteString(w, "hello")
	}()
	<-done
}

// Values copied out of the request are the goroutine's own.
func (s *Server) Copy(w http.ResponseWriter, r *http.Request) {
	path, agent := r.URL.Path, r.UserAgent()
	go func() {
		s.store.Save(context.Background(), path, []byte(agent))
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A context of its own.
func (s *Server) Detached(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	go func() {
		ctx := context.Background()
		s.store.Save(ctx, key, nil)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// The handler ranges over what the goroutine produces until it closes the channel.
func (s *Server) Lines(w http.ResponseWriter, r *http.Request) {
	lines := make(chan string)
	go func() {
		defer close(lines)
		data, _ := io.ReadAll(r.Body)
		lines <- string(data)
	}()
	for l := range lines {
		io.WriteString(w, l)
	}
}

// Reading only the URL and headers is fine (the blocking send is handler-goroutine-blocks').
func (s *Server) Headers(w http.ResponseWriter, r *http.Request) {
	go func() {
		s.mail <- r.URL.Path + " " + r.Header.Get("X-User") // want "handler-goroutine-blocks: .*a channel send on s.mail"
	}()
	w.WriteHeader(http.StatusAccepted)
}
