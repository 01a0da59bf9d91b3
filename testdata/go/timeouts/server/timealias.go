package server

import (
	"net/http"
	tm "time"
)

var boot = tm.Now()

func aliasedTime() *http.Server {
	return &http.Server{ // want "http.Server literal sets neither"
		Addr:           ":1",
		MaxHeaderBytes: 1 << 20,
	}
}
