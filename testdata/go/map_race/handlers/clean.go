package handlers

import (
	"encoding/json"
	"net/http"
	"sync"
)

var (
	cacheMu sync.RWMutex
	cache   = map[string][]byte{}
)

// Consistently guarded.
func cached(w http.ResponseWriter, r *http.Request) {
	cacheMu.RLock()
	body, ok := cache[r.URL.Path]
	cacheMu.RUnlock()
	if !ok {
		body = render(r.URL.Path)
		cacheMu.Lock()
		cache[r.URL.Path] = body
		cacheMu.Unlock()
	}
	w.Write(body)
}

var visits sync.Map

// sync.Map needs no lock.
func visit(w http.ResponseWriter, r *http.Request) {
	visits.Store(r.URL.Path, true)
}

var mimeTypes = map[string]string{}

func init() {
	mimeTypes[".html"] = "text/html"
	mimeTypes[".json"] = "application/json"
}

// Filled in init, only read by handlers.
func mime(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", mimeTypes[r.FormValue("ext")])
}

// A map made per request belongs to that request.
func summary(w http.ResponseWriter, r *http.Request) {
	counts := map[string]int{}
	for k := range r.URL.Query() {
		counts[k]++
	}
	json.NewEncoder(w).Encode(counts)
}

var (
	loadOnce sync.Once
	config   map[string]string
)

// Filled once under sync.Once.
func settings(w http.ResponseWriter, r *http.Request) {
	loadOnce.Do(func() {
		config = map[string]string{}
		config["mode"] = "prod"
	})
	w.Write([]byte(config["mode"]))
}

type request struct {
	params map[string]string
}

// A struct made per request, not shared.
func params(w http.ResponseWriter, r *http.Request) {
	req := &request{params: map[string]string{}}
	for k, v := range r.URL.Query() {
		req.params[k] = v[0]
	}
	json.NewEncoder(w).Encode(req.params)
}

var limits = map[string]int{}

// Registered before serving.
func Serve(addr string) error {
	limits["default"] = 10
	limits["admin"] = 100
	mux := http.NewServeMux()
	mux.HandleFunc("/limit", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(limits[r.FormValue("role")])
	})
	return http.ListenAndServe(addr, mux)
}
