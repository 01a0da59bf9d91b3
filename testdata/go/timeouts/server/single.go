package server

import "net/http"

var defaultServer = http.Server{Addr: ":2"} // want "http.Server literal sets neither"
