// Package shapes exercises the control flow go-cfg models: select, labeled break and continue,
// goto, type switches, fallthrough, and exits that are not returns.
package shapes

import (
	"database/sql"
	"errors"
	"log"
	"os"
)

// select: one case returns with the rows open.
func selectCase(db *sql.DB, stop <-chan struct{}, more <-chan int) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	select {
	case <-stop:
		return errors.New("stopped") // want "rows \(from db.Query on line 14\) is not closed when the function returns here"
	case n := <-more:
		_ = n
	}
	return rows.Close()
}

// A labeled break leaves both loops and skips the Close.
func labeledBreak(db *sql.DB, grid [][]int) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
outer:
	for _, row := range grid {
		for _, v := range row {
			if v < 0 {
				break outer
			}
		}
		rows.Close()
		return nil
	}
	return nil // want "rows \(from db.Query on line 29\) is not closed when the function returns here"
}

// goto jumps over the Close.
func jump(db *sql.DB, skip bool) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	if skip {
		goto done
	}
	rows.Close()
done:
	return nil // want "rows \(from db.Query on line 48\) is not closed when the function returns here"
}

// fallthrough reaches a case that does not close.
func fall(db *sql.DB, n int) int {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return 0
	}
	switch n {
	case 0:
		rows.Close()
		fallthrough
	case 1:
		return 1 // want "rows \(from db.Query on line 62\) is not closed when the function returns here"
	}
	rows.Close()
	return 2
}

// A type switch with a case that returns early.
func typed(db *sql.DB, v interface{}) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		return errors.New(x) // want "rows \(from db.Query on line 79\) is not closed when the function returns here"
	case int:
		rows.Close()
		return nil
	}
	return rows.Close()
}

// ---- look-alikes that must stay silent ----

// Only the paths that panic or exit leave the rows open.
func fatalPaths(db *sql.DB, mode int) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	switch mode {
	case 0:
		panic("mode 0")
	case 1:
		log.Fatalf("mode %d", mode)
	case 2:
		os.Exit(2)
	}
	return rows.Close()
}

// labeled continue: every iteration closes its rows before going on.
func labeledContinue(db *sql.DB, qs [][]string) error {
next:
	for _, group := range qs {
		for _, q := range group {
			rows, err := db.Query(q)
			if err != nil {
				return err
			}
			if rows.Next() {
				rows.Close()
				continue next
			}
			rows.Close()
		}
	}
	return nil
}

// goto back to a retry label after closing.
func retry(db *sql.DB) error {
	tries := 0
again:
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	if !rows.Next() && tries < 3 {
		tries++
		goto again
	}
	return rows.Close()
}

// fallthrough into a case that closes.
func fallClose(db *sql.DB, n int) int {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return 0
	}
	switch n {
	case 0:
		n++
		fallthrough
	case 1:
		rows.Close()
		return 1
	default:
		rows.Close()
	}
	return n
}

// Blocks forever once the rows are open: no exit to leak through.
func serveForever(db *sql.DB) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	_ = rows.Next()
	select {}
}

// An endless loop whose only way out closes the rows.
func loopOut(db *sql.DB, ch <-chan bool) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	for {
		if <-ch {
			return rows.Close()
		}
	}
}
