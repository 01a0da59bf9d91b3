// Package handler: goroutines of HTTP handlers that outlive the request they use.
package handler

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"time"
)

type Store interface {
	Save(ctx context.Context, key string, data []byte) error
}

type Server struct {
	store Store
	mail  chan string
}

// The goroutine answers the client after the handler has already returned.
func (s *Server) Upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	go func() {
		if err := s.store.Save(context.Background(), r.URL.Path, data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError) // want "handler-goroutine-uses-request: the goroutine uses the ResponseWriter after \\(\\*Server\\).Upload may have returned \\(at line 35"
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// The body is read in the background.
func (s *Server) Ingest(w http.ResponseWriter, r *http.Request) {
	go func() {
		data, err := io.ReadAll(r.Body) // want "the goroutine reads the request body after \\(\\*Server\\).Ingest may have returned"
		if err == nil {
			s.store.Save(context.Background(), "ingest", data)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// The request's context dies with the handler.
func (s *Server) Audit(w http.ResponseWriter, r *http.Request) {
	user := r.Header.Get("X-User")
	go func() {
		s.store.Save(r.Context(), "audit/"+user, nil) // want "the goroutine uses the request's context, which is cancelled as soon as \\(\\*Server\\).Audit returns"
	}()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) record(ctx context.Context, key string) {
	s.store.Save(ctx, key, nil)
}

// The same, passed to a method of the package.
func (s *Server) Track(w http.ResponseWriter, r *http.Request) {
	go s.record(r.Context(), r.URL.Path) // want "uses the request's context, which is cancelled as soon as \\(\\*Server\\).Track returns"
	w.WriteHeader(http.StatusNoContent)
}

// A context derived from the request's, captured.
func (s *Server) Notify(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	go func() {
		s.store.Save(ctx, "notify", nil) // want "uses the request's context"
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) render(w http.ResponseWriter, v interface{}) {
	json.NewEncoder(w).Encode(v)
}

// The writer handed to a function that writes to it later.
func (s *Server) Report(w http.ResponseWriter, r *http.Request) {
	go s.render(w, map[string]string{"status": "ok"}) // want "the goroutine uses the ResponseWriter after \\(\\*Server\\).Report may have returned"
}

// Form values read in the goroutine read the body.
func Subscribe(mail chan<- string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		go func() {
			mail <- r.FormValue("email") // want "reads the request body" "handler-goroutine-blocks: .*a channel send on mail"
		}()
		w.WriteHeader(http.StatusAccepted)
	}
}

// The handler gives up waiting after a while; the goroutine may still write.
func (s *Server) Slow(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(3 * time.Second)
		io.WriteString(w, "done") // want "uses the ResponseWriter after \\(\\*Server\\).Slow may have returned \\(at line 109"
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		log.Print("slow request")
	}
}
