package server

import (
	"net/http"
	"net/http/httptest"
	"time"

	other "example.com/analysistest/internal/http"
)

func withHeaderTimeout(mux *http.ServeMux) *http.Server {
	return &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
	}
}

func withReadTimeout() *http.Server {
	return &http.Server{Addr: ":8080", ReadTimeout: time.Minute}
}

func assignedLater(h http.Handler) error {
	srv := &http.Server{Handler: h}
	srv.ReadHeaderTimeout = 3 * time.Second
	return srv.ListenAndServe()
}

func otherServer() error {
	_ = other.Server{Addr: ":1"}
	return other.ListenAndServe(":1", nil)
}

func testServer(h http.Handler) string {
	s := httptest.NewServer(h)
	defer s.Close()
	return s.URL
}
