package body

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
)

const maxBody = 1 << 20

func limited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	w.Write(data)
}

func limitReader(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return
	}
	w.Write(data)
}

func wrapped(w http.ResponseWriter, r *http.Request) {
	body := http.MaxBytesReader(w, r.Body, maxBody)
	var it Item
	if err := json.NewDecoder(body).Decode(&it); err != nil {
		return
	}
	w.WriteHeader(http.StatusOK)
}

func checked(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxBody {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	data, _ := io.ReadAll(r.Body)
	w.Write(data)
}

func drain(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusNoContent)
}

func save(w http.ResponseWriter, r *http.Request) {
	f, err := os.CreateTemp("", "upload")
	if err != nil {
		return
	}
	defer f.Close()
	io.Copy(f, r.Body)
}

// fetch reads a response body: the client decided to trust the server.
func fetch(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// retry buffers an outgoing request's body to send it again.
type retry struct{ next http.RoundTripper }

func (t retry) RoundTrip(req *http.Request) (*http.Response, error) {
	data, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(data))
	return t.next.RoundTrip(req)
}

// parse is only called with requests the program builds itself.
func parse(r *http.Request) ([]byte, error) {
	return io.ReadAll(r.Body)
}

func selfTest() ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte("{}")))
	if err != nil {
		return nil, err
	}
	return parse(req)
}

func limitedHelper(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var it Item
	if err := decode(r, &it); err != nil {
		return
	}
	w.WriteHeader(http.StatusOK)
}
