// Package handlers: package-level maps written by HTTP handlers and gRPC methods.
package handlers

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"example.com/analysistest/internal/pb"
)

var pages = map[string][]byte{}

func render(path string) []byte { return []byte("<h1>" + path + "</h1>") }

// A page cache filled by the handler itself.
func page(w http.ResponseWriter, r *http.Request) {
	body, ok := pages[r.URL.Path]
	if !ok {
		body = render(r.URL.Path)
		pages[r.URL.Path] = body // want "unguarded-write: map pages is written in an HTTP handler without a lock.*concurrent map writes"
	}
	w.Write(body)
}

var hits = make(map[string]int)

// A counter per path.
func count(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++ // want "map hits is written in an HTTP handler without a lock"
	w.WriteHeader(http.StatusNoContent)
}

var sessions = map[string]string{}

type logout struct{}

func (logout) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie("session")
	if err != nil {
		return
	}
	delete(sessions, c.Value) // want "map sessions is written in an HTTP handler without a lock"
}

var bytesOut = map[string]int64{}

// Reached from a handler through a helper.
func account(user string, n int) {
	bytesOut[user] += int64(n) // want "map bytesOut is written without a lock in code reached from HTTP handler download"
}

func download(w http.ResponseWriter, r *http.Request) {
	n, _ := w.Write([]byte("data"))
	account(r.URL.User.Username(), n)
}

var store = map[string]string{}

type Server struct{}

// A gRPC method.
func (s *Server) Put(ctx context.Context, in *pb.PutRequest) (*pb.PutReply, error) {
	store[strings.ToLower(in.Key)] = in.Value // want "map store is written in a gRPC method without a lock"
	return &pb.PutReply{}, nil
}

var (
	mu     sync.Mutex
	tokens = map[string]string{}
)

func login(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	tokens[r.FormValue("token")] = r.FormValue("user")
	mu.Unlock()
}

func whoami(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	user := tokens[r.FormValue("token")]
	mu.Unlock()
	w.Write([]byte(user))
}

// The mutex that guards tokens elsewhere is not taken here: fixed.
func revoke(w http.ResponseWriter, r *http.Request) {
	delete(tokens, r.FormValue("token")) // want "map tokens is written without mu, which guards it at line 76"
	w.WriteHeader(http.StatusNoContent)
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/", page)
	mux.HandleFunc("/count", count)
	mux.Handle("/logout", logout{})
	mux.HandleFunc("/download", download)
	mux.HandleFunc("/login", login)
	mux.HandleFunc("/revoke", revoke)
	mux.HandleFunc("/whoami", whoami)
	mux.HandleFunc("/tag", func(w http.ResponseWriter, r *http.Request) {
		tags[r.FormValue("k")] = r.FormValue("v") // want "map tags is written in an HTTP handler without a lock"
	})
}

var tags = map[string]string{}
