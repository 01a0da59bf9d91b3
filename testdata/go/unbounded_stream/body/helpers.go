package body

import (
	"encoding/json"
	"io"
	"net/http"
)

// decode reads the request's body for the handlers below.
func decode(r *http.Request, v interface{}) error {
	return json.NewDecoder(r.Body).Decode(v) // want "json.NewDecoder decodes values of any size from the request body that update passes in.*in update"
}

func readAll(body io.Reader) ([]byte, error) {
	return io.ReadAll(body) // want "io.ReadAll reads all of the request body that patch passes in"
}

func update(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := decode(r, &it); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func patch(w http.ResponseWriter, r *http.Request) {
	data, err := readAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	w.Write(data)
}
