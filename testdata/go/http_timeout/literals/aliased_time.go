package literals

import (
	"net/http"
	tm "time"
)

var epoch = tm.Unix(0, 0)

func newAliased() *http.Client {
	return &http.Client{Jar: nil} // want "http.Client literal has no Timeout"
}
