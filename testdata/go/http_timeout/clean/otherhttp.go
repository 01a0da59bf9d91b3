package clean

import (
	"example.com/analysistest/internal/http"
)

// A different package that happens to be named http.
func other() (string, *http.Client) {
	s := http.Get("/a")
	c := &http.Client{Jar: 1}
	_ = http.DefaultClient
	return s, c
}
