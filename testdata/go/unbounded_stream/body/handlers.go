// Package body: request bodies read whole with no size limit.
package body

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"io/ioutil"
	"net/http"
)

type Item struct {
	Name string `json:"name" xml:"name"`
}

type Server struct {
	items []Item
}

func upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body) // want "request-body-unlimited: io.ReadAll reads all of the request body of r with no size limit.*http.MaxBytesReader"
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Write(data)
}

func (s *Server) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	// The legacy endpoint still takes raw bytes.
	raw, err := ioutil.ReadAll(req.Body) // want "ioutil.ReadAll reads all of the request body of req with no size limit"
	if err != nil {
		return
	}
	s.items = append(s.items, Item{Name: string(raw)})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := json.NewDecoder(r.Body).Decode(&it); err != nil { // want "json.NewDecoder decodes values of any size from the request body of r"
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.items = append(s.items, it)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("/xml", func(w http.ResponseWriter, r *http.Request) {
		var it Item
		dec := xml.NewDecoder(r.Body) // want "xml.NewDecoder decodes values of any size from the request body of r"
		if err := dec.Decode(&it); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		s.items = append(s.items, it)
	})
}

func echo(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r.Body); err != nil { // want "io.Copy copies all of the request body of r"
		return
	}
	w.Write(buf.Bytes())
}

func mirror(w http.ResponseWriter, r *http.Request) {
	buf := new(bytes.Buffer)
	buf.ReadFrom(r.Body) // want "buf.ReadFrom copies all of the request body of r"
	w.Write(buf.Bytes())
}

// api is a framework-style handler: more parameters than an http.HandlerFunc.
func (s *Server) api(ctx context.Context, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	var it Item
	if err := json.NewDecoder(r.Body).Decode(&it); err != nil { // want "json.NewDecoder decodes values of any size"
		return err
	}
	s.items = append(s.items, it)
	return ctx.Err()
}

// late limits the body only after reading it.
func late(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body) // want "io.ReadAll reads all of the request body of r"
	r.Body = http.MaxBytesReader(w, r.Body, 1024)
	w.Write(data)
}

// oneLine has no room for an inserted statement: reported without a fix.
func oneLine(w http.ResponseWriter, r *http.Request) { io.Copy(new(bytes.Buffer), r.Body) } // want "io.Copy copies all of the request body of r"

// blank has no name for its ResponseWriter: reported without a fix.
func blank(_ http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body) // want "io.ReadAll reads all of the request body of r"
	_ = data
}
