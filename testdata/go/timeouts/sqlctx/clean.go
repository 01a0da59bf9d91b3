package sqlctx

import (
	"context"
	"database/sql"
	"net/http"
	"time"
)

var global *sql.DB

// The Context variants: nothing to report.
func (s *Store) Good(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM t")
	if err != nil {
		return err
	}
	return s.db.QueryRowContext(ctx, "SELECT 1").Err()
}

// No context anywhere, and not concurrent code.
func Migrate(db *sql.DB) error {
	_, err := db.Exec("CREATE TABLE t (id int)")
	return err
}

// context.Background() itself is not a context worth passing.
func setup() error {
	ctx := context.Background()
	_ = ctx
	return global.Ping()
}

// The context is declared after the call.
func later(db *sql.DB) error {
	err := db.Ping()
	ctx := context.TODO()
	_ = ctx
	return err
}

// A Query method that is not database/sql's.
type Cache struct{}

func (Cache) Query(q string) string { return q }

func cached(ctx context.Context, c Cache) string {
	return c.Query("k")
}

// url.Values' Query in a handler.
func search(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write([]byte(r.URL.Query().Get("q")))
}

// The context parameter is shadowed by something else.
func shadowed(ctx context.Context, db *sql.DB) error {
	{
		ctx := 1
		_ = ctx
		return db.Ping()
	}
}

// A nil context declared with var is not used.
func nilctx(db *sql.DB) error {
	var ctx context.Context
	_ = ctx
	return db.Ping()
}

// The code ends its context on purpose first: the calls after it rightly run without it.
func afterCancel(db *sql.DB) error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.PingContext(ctx); err != context.Canceled {
		return err
	}
	return db.Ping()
}

func afterDeadline(parent context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(parent, time.Millisecond)
	defer cancel()
	if _, err := db.ExecContext(ctx, "SELECT pg_sleep(1)"); err != context.DeadlineExceeded {
		return err
	}
	_, err := db.Exec("SELECT 1")
	return err
}
