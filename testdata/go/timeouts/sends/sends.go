// Package sends: channel sends in handlers that can block forever.
package sends

import (
	"context"
	"net/http"

	"example.com/analysistest/internal/pb"
)

type job struct{ path string }

type Server struct {
	jobs  chan job
	audit chan string
	keys  chan string
}

var events = make(chan string)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.jobs <- job{r.URL.Path} // want "handler-send-blocks: send on s.jobs in an HTTP handler can block forever.*select on r.Context\\(\\).Done\\(\\)"
	w.WriteHeader(http.StatusAccepted)
}

func track(w http.ResponseWriter, r *http.Request) {
	for _, c := range r.Cookies() {
		events <- c.Name // want "send on events in an HTTP handler can block forever"
	}
}

func register(mux *http.ServeMux, q chan<- string) {
	mux.HandleFunc("/q", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			q <- r.URL.RawQuery // want "send on q in an HTTP handler"
		}
	})
}

func (s *Server) Get(ctx context.Context, in *pb.GetRequest) (*pb.GetResponse, error) {
	s.keys <- in.Key // want "send on s.keys in a gRPC method can block forever.*select on ctx.Done\\(\\)"
	return &pb.GetResponse{}, nil
}

func (s *Server) Watch(in *pb.GetRequest, stream pb.Store_WatchServer) error {
	s.keys <- in.Key // want "send on s.keys in a gRPC method"
	return nil
}

func (s *Server) both(w http.ResponseWriter, r *http.Request) {
	select {
	case s.audit <- r.URL.Path: // want "send on s.audit in an HTTP handler"
	case s.keys <- r.URL.Path: // want "send on s.keys in an HTTP handler"
	}
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	visit(r, func(name string) {
		s.audit <- name // want "send on s.audit in an HTTP handler"
	})
}

func visit(r *http.Request, f func(string)) {
	for k := range r.Header {
		f(k)
	}
}
