// Package alias imports the checked packages under other names.
package alias

import (
	stdctx "context"
	dbsql "database/sql"
	nethttp "net/http"
	"time"

	context "example.com/analysistest/alias/fakectx"
)

func rows(db *dbsql.DB) error {
	r, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	if !r.Next() {
		return nil
	}
	return nil // want "sql-rows-not-closed: r \(from db.Query on line 14\) is not closed when the function returns here"
}

func get(u string) (int, error) {
	resp, err := nethttp.Get(u)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // want "response-body-not-closed: the body of resp \(from nethttp.Get on line 25\)"
}

func timeout(ctx stdctx.Context) error {
	ctx, cancel := stdctx.WithTimeout(ctx, time.Second)
	if ctx.Err() != nil {
		return ctx.Err() // want "cancel-not-called: cancel \(from stdctx.WithTimeout on line 33\)"
	}
	cancel()
	return nil
}

// Not the standard context package.
func fake() int {
	v, cancel := context.WithCancel(1)
	_ = cancel
	return v
}
