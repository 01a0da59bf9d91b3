package server

import (
	web "net/http"
)

func noTime(h web.Handler) *web.Server {
	return &web.Server{Handler: h} // want "web.Server literal sets neither"
}
