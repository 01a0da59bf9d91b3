package literals

import "net/http"

func newSingle(jar http.CookieJar) http.Client {
	return http.Client{Jar: jar} // want "http.Client literal has no Timeout"
}
