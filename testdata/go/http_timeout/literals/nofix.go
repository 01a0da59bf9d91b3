package literals

import "net/http"

// The name time is a parameter here, so the fix cannot write time.Second.
func newShadowed(time int) *http.Client {
	_ = time
	return &http.Client{} // want "http.Client literal has no Timeout"
}
