package fakeserver

import (
	"io"
	"net/http"
)

func (s *Server) record(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	s.Received = append(s.Received, data)
}
