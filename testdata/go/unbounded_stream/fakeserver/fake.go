// Package fakeserver is a test double for an HTTP API: its handlers serve the test that runs them.
package fakeserver

import (
	"net/http"
	"net/http/httptest"
)

type Server struct {
	*httptest.Server
	Received [][]byte
}

func New() *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.record))
	return s
}
