// Package testfiles has findings only in test files, which are not reported.
package testfiles

import (
	"net/http"
	"time"
)

var Client = &http.Client{Timeout: time.Minute}
