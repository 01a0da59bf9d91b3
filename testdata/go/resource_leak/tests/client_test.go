package tests

import (
	"context"
	"database/sql"
	"net/http"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	resp, err := http.Get("http://127.0.0.1:1/")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
} // want "the body of resp \(from http.Get on line 12\) is not closed when the function ends here"

func TestPing(t *testing.T) {
	http.Get("http://127.0.0.1:1/") // want "the \*http.Response from http.Get is discarded"
}

func TestTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	if ctx.Err() != nil {
		t.Fatal(ctx.Err())
	}
	if err := ctx.Err(); err != nil {
		return // want "cancel \(from context.WithTimeout on line 26\) is not called when the function returns here"
	}
	cancel()
}

// Tests check that bad queries fail: there are no rows to close.
func badQuery(t *testing.T, db *sql.DB) {
	if _, err := db.Query("SELEC 1"); err == nil {
		t.Fatal("want an error")
	}
}

func TestCleanup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	_ = ctx
}

func TestFetch(t *testing.T) {
	resp, err := Fetch(http.DefaultClient, "http://127.0.0.1:1/")
	if err != nil {
		t.Skip(err)
	}
	defer resp.Body.Close()
}
