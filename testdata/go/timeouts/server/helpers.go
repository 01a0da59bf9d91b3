package server

import (
	"net/http"
	"net/http/httptest"
)

// A file that imports httptest is test infrastructure: quiet.
func newTestServer(h http.Handler) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Config = &http.Server{Handler: h}
	return s
}
