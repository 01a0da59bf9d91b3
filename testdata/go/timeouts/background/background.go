// Package background: context.Background() where the caller's context should be used.
package background

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"example.com/analysistest/internal/pb"
)

type Store struct{ db *sql.DB }

func (s *Store) Load(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT v FROM kv WHERE k = $1", key).Scan(&v)
	return v, err
}

func (s *Store) Flush(ctx context.Context) error { return nil }

func (s *Store) Save(ctx context.Context, keys []string) error { return nil }

func (s *Store) Close(ctx context.Context) error { return nil }

type Server struct{ store *Store }

// A context parameter ignored.
func (s *Server) Value(ctx context.Context, key string) (string, error) {
	return s.store.Load(context.Background(), key) // want "background-in-request: context.Background\\(\\) passed to s.store.Load although ctx is in scope"
}

// An HTTP handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, err := s.store.Load(context.TODO(), r.URL.Path) // want "context.TODO\\(\\) passed to s.store.Load although r.Context\\(\\) is in scope"
	if err != nil {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(v))
}

// A gRPC method.
func (s *Server) Get(ctx context.Context, in *pb.GetRequest) (*pb.GetResponse, error) {
	v, err := s.store.Load(context.Background(), in.Key) // want "context.Background\\(\\) passed to s.store.Load although ctx is in scope"
	return &pb.GetResponse{Value: v}, err
}

// A gRPC stream.
func (s *Server) Watch(in *pb.GetRequest, stream pb.Store_WatchServer) error {
	v, err := s.store.Load(context.Background(), in.Key) // want "although stream.Context\\(\\) is in scope"
	if err != nil {
		return err
	}
	return stream.Send(&pb.GetResponse{Value: v})
}

// A derived context, and a callback literal.
func (s *Server) Batch(parent context.Context, keys []string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	each := func(k string) error {
		_, err := s.store.Load(context.Background(), k) // want "although ctx is in scope"
		return err
	}
	for _, k := range keys {
		if err := each(k); err != nil {
			return err
		}
	}
	return s.store.Save(context.Background(), keys) // want "context.Background\\(\\) passed to s.store.Save although ctx is in scope"
}

// Through database/sql too.
type counter struct{ db *sql.DB }

func (c counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var n int
	err := c.db.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n) // want "passed to c.db.QueryRowContext although r.Context\\(\\) is in scope"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
