// Package servertest is a test helper (its name contains "test"): servers and dials here are quiet.
package servertest

import (
	"net"
	"net/http"
)

func Start(h http.Handler) (*http.Server, net.Conn, error) {
	srv := &http.Server{Handler: h}
	c, err := net.Dial("tcp", "127.0.0.1:0")
	return srv, c, err
}
