// Package pb stands in for generated protobuf and gRPC code: go-context recognizes gRPC streams by
// their generated names (Svc_MethodServer, Svc_MethodClient), so the testdata needs only the standard
// library.
package pb

import "context"

type Event struct {
	ID   string
	Name string
}

type WatchRequest struct{ Topic string }

type Chunk struct {
	ID   string
	Data []byte
}

type UploadSummary struct{ Count int }

// Store_WatchServer is the server side of a server-streaming method.
type Store_WatchServer interface {
	Send(*Event) error
	Context() context.Context
}

// Store_UploadServer is the server side of a client-streaming method.
type Store_UploadServer interface {
	Recv() (*Chunk, error)
	SendAndClose(*UploadSummary) error
	Context() context.Context
}

// Store_ChatServer is the server side of a bidirectional method.
type Store_ChatServer interface {
	Send(*Event) error
	Recv() (*Event, error)
	Context() context.Context
}

// Store_WatchClient is the client side of a server-streaming method.
type Store_WatchClient interface {
	Recv() (*Event, error)
	Context() context.Context
}
