package testfiles

import (
	"context"
	"database/sql"
	"log"
	"net"
	"net/http"
	"testing"
	"time"
)

// Servers, dials and handler sends in tests are quiet: loopback peers the test owns.
func ExampleServe() {
	log.Fatal(http.ListenAndServe(":8080", nil))
}

func TestDial(t *testing.T) {
	c, err := net.Dial("tcp", "127.0.0.1:1")
	if err == nil {
		c.Close()
	}
	seen := make(chan string)
	h := func(w http.ResponseWriter, r *http.Request) {
		seen <- r.URL.Path
	}
	_ = h
	srv := &http.Server{Addr: ":0"}
	_ = srv
}

// No context in scope in a test: no note.
func TestNoContext(t *testing.T) {
	db, err := sql.Open("x", "")
	if err != nil {
		t.Skip(err)
	}
	go func() {
		_, _ = db.Exec("SELECT 1")
	}()
}

// A context in scope in a test: the warnings still apply.
func TestWithContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	db, err := sql.Open("x", "")
	if err != nil {
		t.Skip(err)
	}
	if err := db.Ping(); err != nil { // want "sql-without-context: db.Ping ignores the context ctx"
		t.Log(err)
	}
	req, err := http.NewRequest(http.MethodGet, "/", nil) // want "request-without-context"
	if err == nil {
		_ = req
	}
	helper(ctx, db)
}

func helper(ctx context.Context, db *sql.DB) {
	_ = Load(context.Background(), db) // want "background-in-request: context.Background\\(\\) passed to Load although ctx is in scope"
}
