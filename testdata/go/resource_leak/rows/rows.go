// Package rows holds *sql.Rows that leak and look-alikes that do not.
package rows

import (
	"context"
	"database/sql"
	"errors"
)

type user struct {
	ID   int
	Name string
}

// An early return inside the scan loop leaves the rows open.
func earlyReturn(db *sql.DB) ([]user, error) {
	rows, err := db.Query("SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	var out []user
	for rows.Next() {
		var u user
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err // want "resource-leak/sql-rows-not-closed: rows \(from db.Query on line 17\) is not closed when the function returns here: its connection stays checked out of the pool"
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Never closed at all: only the first row is read.
func firstOnly(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM users")
	if err != nil {
		return 0, err
	}
	var id int
	if rows.Next() {
		err = rows.Scan(&id)
		return id, err // want "rows-not-closed: rows \(from tx.QueryContext on line 34\) is not closed when the function returns"
	}
	return 0, errors.New("no rows")
}

// Falls off the end of the function with the rows open.
func logAll(db *sql.DB, log func(string)) {
	rows, err := db.Query("SELECT name FROM users")
	if err != nil {
		log(err.Error())
		return
	}
	var name string
	if rows.Next() {
		_ = rows.Scan(&name)
		log(name)
	}
} // want "rows \(from db.Query on line 48\) is not closed when the function ends here"

// The rows are closed in one branch of the switch only.
func byKind(ctx context.Context, stmt *sql.Stmt, kind int) (int, error) {
	rows, err := stmt.QueryContext(ctx, kind)
	if err != nil {
		return 0, err
	}
	switch kind {
	case 0:
		rows.Close()
		return 0, nil
	case 1:
		return 1, nil // want "rows-not-closed: rows \(from stmt.QueryContext on line 62\)"
	}
	rows.Close()
	return 2, nil
}

// Query used for a statement that returns no rows: the rows are dropped.
func wipe(db *sql.DB) {
	db.Query("DELETE FROM sessions") // want "rows-not-closed: the \*sql.Rows from db.Query is discarded, so it is never closed"
}

// The rows are dropped with the blank identifier.
func touch(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.QueryContext(ctx, "UPDATE users SET seen = now()") // want "the \*sql.Rows from conn.QueryContext is discarded"
	return err
}

// The loop runs the query again while the previous rows are still open.
func poll(db *sql.DB) error {
	for {
		rows, err := db.Query("SELECT id FROM jobs") // want "rows \(from db.Query on line 91\) is not closed before the loop comes back here and replaces it"
		if err != nil {
			return err
		}
		if rows.Next() {
			continue
		}
		rows.Close()
		return nil
	}
}

// The error is not checked; the rows leak when the function returns.
func count(db *sql.DB) int {
	rows, _ := db.Query("SELECT 1")
	n := 0
	for rows.Next() {
		n++
		if n > 10 {
			return n // want "rows \(from db.Query on line 105\) is not closed when the function returns here"
		}
	}
	return n
}

// ---- look-alikes that must stay silent ----

// Deferred Close right after the check.
func deferred(db *sql.DB) ([]user, error) {
	rows, err := db.Query("SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []user
	for rows.Next() {
		var u user
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// The rows are returned to the caller, who closes them.
func open(ctx context.Context, db *sql.DB) (*sql.Rows, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM users")
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// A wrapper: the caller owns what it returns.
func openAll(db *sql.DB) (*sql.Rows, error) {
	return db.Query("SELECT id FROM users")
}

func scanAll(rows *sql.Rows) ([]int, error) {
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Handed off to a function that closes them.
func handedOff(db *sql.DB) ([]int, error) {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return nil, err
	}
	return scanAll(rows)
}

type cursor struct {
	rows *sql.Rows
}

// Stored in a field.
func (c *cursor) start(db *sql.DB) error {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return err
	}
	c.rows = rows
	return nil
}

// Read to the end: Next returning false closes the rows.
func readToEnd(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// Closed in every branch of the switch, and on the early returns.
func everyBranch(db *sql.DB, kind int) (int, error) {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return 0, err
	}
	switch kind {
	case 0:
		rows.Close()
		return 0, nil
	case 1:
		if err := rows.Close(); err != nil {
			return 0, err
		}
		return 1, nil
	default:
		_ = rows.Close()
	}
	return 2, nil
}

// Closed in a deferred closure.
func deferredClosure(db *sql.DB) (err error) {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
	}()
	if !rows.Next() {
		return errors.New("empty")
	}
	return nil
}

// The error check goes through a helper, and the nil check guards the Close.
func helperCheck(db *sql.DB, check func(error) error) error {
	rows, err := db.Query("SELECT id FROM users")
	if check(err) != nil {
		return err
	}
	if rows != nil {
		defer rows.Close()
	}
	return nil
}

// A named result is returned by the bare return.
func named(db *sql.DB) (rows *sql.Rows, err error) {
	rows, err = db.Query("SELECT id FROM users")
	return
}

// QueryRow needs no Close.
func one(db *sql.DB) (int, error) {
	var id int
	err := db.QueryRow("SELECT 1").Scan(&id)
	return id, err
}

// Closed before every return inside the loop.
func closeEachExit(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		if id > 10 {
			rows.Close()
			return id, nil
		}
	}
	return 0, rows.Err()
}

// Closed in each iteration before the query runs again.
func eachIteration(db *sql.DB, qs []string) error {
	for _, q := range qs {
		rows, err := db.Query(q)
		if err != nil {
			return err
		}
		if rows.Next() {
			rows.Close()
			continue
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

// The rows are used only when the query succeeded.
func onSuccess(db *sql.DB) (n int) {
	rows, err := db.Query("SELECT id FROM users")
	if err == nil {
		defer rows.Close()
		n = 1
	}
	return n
}

// A tagless switch checks the error.
func switchCheck(db *sql.DB, limit int) (int, error) {
	rows, err := db.Query("SELECT id FROM users")
	switch {
	case err != nil:
		return 0, err
	case limit == 0:
		rows.Close()
		return 0, nil
	}
	defer rows.Close()
	return limit, nil
}
