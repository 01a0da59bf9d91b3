package background

import (
	"context"
	"log"
	"time"
)

// Deriving a detached context is explicit.
func (s *Server) Detached(ctx context.Context) error {
	bg, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return s.store.Flush(bg)
}

// Goroutines and deferred calls outlive the request on purpose.
func (s *Server) Async(ctx context.Context) {
	go s.store.Flush(context.Background())
	defer s.store.Flush(context.Background())
	go func() {
		if err := s.store.Flush(context.Background()); err != nil {
			log.Print(err)
		}
	}()
	defer func() {
		_ = s.store.Flush(context.Background())
	}()
}

// Cleanup must run even when the request is cancelled.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.store.Close(context.Background())
}

// The function has checked its context: it knows it may be gone.
func (s *Server) Drain(ctx context.Context) error {
	<-ctx.Done()
	return s.store.Flush(context.Background())
}

func (s *Server) AfterErr(ctx context.Context) error {
	if ctx.Err() != nil {
		return s.store.Flush(context.Background())
	}
	return nil
}

// No request context in scope.
func startup(s *Store) error {
	ctx := context.Background()
	_, err := s.Load(ctx, "boot")
	if err != nil {
		return err
	}
	return s.Flush(context.Background())
}

// Not the first argument.
func second(ctx context.Context, f func(string, context.Context) error) error {
	return f("x", context.Background())
}
