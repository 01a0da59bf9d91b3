// Package server: HTTP servers without read timeouts.
package server

import (
	"log"
	"net"
	"net/http"
	"time"
)

func serveDefault() {
	log.Fatal(http.ListenAndServe(":8080", nil)) // want "server-no-read-timeout: http.ListenAndServe serves with no read timeouts.*slowloris"
}

func serveTLS(mux *http.ServeMux) error {
	return http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", mux) // want "http.ListenAndServeTLS serves with no read timeouts"
}

func serveListener(l net.Listener) error {
	return http.Serve(l, http.NotFoundHandler()) // want "http.Serve serves with no read timeouts"
}

func newServer(mux *http.ServeMux) *http.Server {
	return &http.Server{ // want "server-no-read-timeout: http.Server literal sets neither ReadHeaderTimeout nor ReadTimeout"
		Addr:    ":8080",
		Handler: mux,
	}
}

func writeOnly() *http.Server {
	return &http.Server{ // want "http.Server literal sets neither"
		Addr:         ":8080",
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  time.Minute,
	}
}

func oneLine(addr string) error {
	srv := &http.Server{Addr: addr} // want "http.Server literal sets neither"
	return srv.ListenAndServe()
}

func empty() error {
	var srv = http.Server{} // want "http.Server literal sets neither"
	return srv.ListenAndServe()
}

func blankLine(h http.Handler) *http.Server {
	return &http.Server{ // want "http.Server literal sets neither"
		Handler: h,

		// the error log
		ErrorLog: log.Default(),
	}
}
