package background

import (
	"context"
	"net/http"
)

// The only other use of package context: replacing it would leave the import unused, so no fix.
func loadHandler(s *Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _ := s.Load(context.Background(), r.URL.Path) // want "context.Background\\(\\) passed to s.Load although r.Context\\(\\) is in scope"
		_, _ = w.Write([]byte(v))
	}
}
