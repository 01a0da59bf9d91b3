// Package request: http.NewRequest where a context is in scope.
package request

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"example.com/analysistest/internal/pb"
)

var client = &http.Client{Timeout: time.Minute}

func fetch(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil) // want "request-without-context: http.NewRequest ignores the context ctx in scope.*NewRequestWithContext\\(ctx, ...\\)"
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}

func proxy(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequest("GET", "http://backend/"+r.URL.Path, nil) // want "http.NewRequest ignores the context r.Context\\(\\) in scope"
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(w, resp.Body)
}

func post(parent context.Context, url, body string) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	if req, err := http.NewRequest( // want "http.NewRequest ignores the context ctx"
		http.MethodPost,
		url,
		strings.NewReader(body),
	); err == nil {
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	return nil
}

type Server struct{}

func (s *Server) Get(ctx context.Context, in *pb.GetRequest) (*pb.GetResponse, error) {
	req, err := http.NewRequest(http.MethodGet, "http://cache/"+in.Key, nil) // want "http.NewRequest ignores the context ctx"
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	return &pb.GetResponse{}, resp.Body.Close()
}

func (s *Server) Watch(in *pb.GetRequest, stream pb.Store_WatchServer) error {
	_, err := http.NewRequest(http.MethodGet, "http://cache/"+in.Key, nil) // want "http.NewRequest ignores the context stream.Context\\(\\) in scope"
	return err
}

func cancellableFetch(url string) (*http.Response, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequest(http.MethodGet, url, nil) // want "http.NewRequest ignores the context ctx"
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}
