// Package sqlctx: database/sql calls that ignore the context in scope.
package sqlctx

import (
	"context"
	"database/sql"
	"net/http"
	"time"
)

type Store struct {
	db *sql.DB
}

// A context parameter.
func (s *Store) Name(ctx context.Context, id int) (string, error) {
	var name string
	err := s.db.QueryRow("SELECT name FROM users WHERE id = $1", id).Scan(&name) // want "sql-without-context: s.db.QueryRow ignores the context ctx in scope.*QueryRowContext"
	return name, err
}

// The request context of an HTTP handler.
func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.Query("SELECT id FROM users") // want "sql-without-context: s.db.Query ignores the context r.Context\\(\\) in scope"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
}

// A context derived with a deadline.
func (s *Store) Touch(parent context.Context, id int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	tx, err := s.db.Begin() // want "sql-without-context: s.db.Begin ignores the context ctx in scope.*BeginTx"
	if err != nil {
		return err
	}
	if _, err := tx.Exec("UPDATE users SET seen = now() WHERE id = $1", id); err != nil { // want "tx.Exec ignores the context ctx"
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Prepared statements and Ping.
func (s *Store) Bulk(ctx context.Context, ids []int) error {
	if err := s.db.Ping(); err != nil { // want "s.db.Ping ignores the context ctx in scope.*PingContext"
		return err
	}
	stmt, err := s.db.Prepare("DELETE FROM users WHERE id = $1") // want "s.db.Prepare ignores"
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err := stmt.Exec(id); err != nil { // want "stmt.Exec ignores the context ctx"
			return err
		}
	}
	return nil
}

// A context captured by a func literal, and arguments over several lines.
func (s *Store) Each(ctx context.Context, fn func(int) error) error {
	run := func(q string) error {
		rows, err := s.db.Query( // want "s.db.Query ignores the context ctx"
			q,
			1,
		)
		if err != nil {
			return err
		}
		return rows.Close()
	}
	return run("SELECT 1")
}

// A transaction's Prepare, and a context variable declared with var.
func (s *Store) Tx(r *http.Request, tx *sql.Tx) error {
	var ctx = r.Context()
	stmt, err := tx.Prepare("SELECT 1") // want "tx.Prepare ignores the context ctx in scope.*PrepareContext"
	if err != nil {
		return err
	}
	return stmt.Close()
}
