package sqlctx

import (
	"database/sql"
	"net/http"
	"time"
)

type group struct{}

func (g *group) Go(f func() error) {}

// Concurrent code with no context to give: notes.
func startWorkers(db *sql.DB, g *group) {
	go func() {
		_, _ = db.Exec("DELETE FROM jobs WHERE done") // want "sql-no-context-available: db.Exec cannot be cancelled"
	}()
	go worker(db)
	g.Go(func() error {
		return db.Ping() // want "sql-no-context-available: db.Ping cannot be cancelled"
	})
	time.AfterFunc(time.Minute, func() {
		_, _ = db.Exec("VACUUM") // want "sql-no-context-available: db.Exec"
	})
}

func worker(db *sql.DB) {
	for {
		rows, err := db.Query("SELECT id FROM jobs") // want "sql-no-context-available: db.Query cannot be cancelled"
		if err == nil {
			_ = rows.Close()
		}
		time.Sleep(time.Second)
	}
}

// A helper the handler calls without passing its context.
func lookup(db *sql.DB, id string) *sql.Row {
	return db.QueryRow("SELECT v FROM kv WHERE k = $1", id) // want "sql-no-context-available: db.QueryRow"
}

func handle(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v string
		if err := lookup(db, r.URL.Path).Scan(&v); err != nil {
			http.NotFound(w, r)
			return
		}
		// a goroutine outlives the request: its context is not used, and this is a note
		go func() {
			_, _ = db.Exec("UPDATE kv SET hits = hits + 1") // want "sql-no-context-available"
		}()
		_, _ = w.Write([]byte(v))
	}
}
