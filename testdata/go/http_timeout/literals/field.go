package literals

import (
	"io"
	"net/http"
)

type api struct {
	client *http.Client
	out    io.Writer
}

var shared = &http.Client{Transport: http.DefaultTransport} // want "http.Client literal has no Timeout"

func newAPI(out io.Writer) *api {
	return &api{client: &http.Client{}, out: out} // want "http.Client literal has no Timeout"
}
