// Package bodymw limits every request body in a middleware, so its handlers read freely.
package bodymw

import (
	"encoding/json"
	"io"
	"net/http"
)

func limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		next.ServeHTTP(w, r)
	})
}

func create(w http.ResponseWriter, r *http.Request) {
	var v map[string]string
	if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func raw(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	w.Write(data)
}

func Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/create", create)
	mux.HandleFunc("/raw", raw)
	return limit(mux)
}
