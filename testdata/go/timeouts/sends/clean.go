package sends

import (
	"log"
	"net/http"
	"time"
)

func (s *Server) guarded(w http.ResponseWriter, r *http.Request) {
	select {
	case s.jobs <- job{r.URL.Path}:
	case <-r.Context().Done():
		return
	}
	select {
	case s.audit <- r.URL.Path:
	default:
		log.Print("audit queue full")
	}
	select {
	case events <- r.URL.Path:
	case <-time.After(time.Second):
	}
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case s.keys <- r.URL.Path:
	case <-t.C:
	}
}

// A channel made here has its consumer here too.
func fanout(w http.ResponseWriter, r *http.Request) {
	results := make(chan string, 2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := range results {
			log.Print(v)
		}
	}()
	results <- r.URL.Path
	results <- r.Method
	close(results)
	<-done
}

// A goroutine's send does not block the handler.
func (s *Server) async(w http.ResponseWriter, r *http.Request) {
	go func() {
		s.jobs <- job{"x"}
	}()
}

// Not a handler.
func (s *Server) Enqueue(j job) {
	s.jobs <- j
}
