package testfiles_test

import (
	"net/http"
	"testing"
)

func TestExternal(t *testing.T) {
	c := http.Client{}
	_ = c
	_ = http.DefaultClient
}
