// Package usehttptest builds fixtures on net/http/httptest outside _test.go files.
package usehttptest

import (
	"net/http"
	"net/http/httptest"
)

// Fixture starts a server and returns a client for it.
func Fixture(h http.Handler) (*httptest.Server, *http.Client) {
	srv := httptest.NewServer(h)
	return srv, &http.Client{}
}
