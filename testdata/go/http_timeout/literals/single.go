package literals

import "net/http"

func newSingle(tr http.RoundTripper) http.Client {
	return http.Client{Transport: tr} // want "http.Client literal has no Timeout"
}
