// Package testfiles: which rules speak in _test.go files.
package testfiles

import (
	"context"
	"database/sql"
)

func Load(ctx context.Context, db *sql.DB) error {
	return db.PingContext(ctx)
}
