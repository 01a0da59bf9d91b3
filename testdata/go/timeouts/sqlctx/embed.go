package sqlctx

import (
	"context"
	dbsql "database/sql"
)

// A struct that embeds the database handle.
type Repo struct {
	*dbsql.DB
}

func (r *Repo) Count(ctx context.Context) (n int, err error) {
	err = r.QueryRow("SELECT count(*) FROM t").Scan(&n) // want "r.QueryRow ignores the context ctx"
	return n, err
}

func (r *Repo) Stmt(ctx context.Context, st *dbsql.Stmt) (*dbsql.Rows, error) {
	return st.Query() // want "st.Query ignores the context ctx in scope.*QueryContext\\(ctx\\)"
}
