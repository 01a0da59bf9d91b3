package unlock

import (
	"errors"
	"sync"
)

// ---- shapes from real code that return holding a lock on purpose ----

var (
	nodeMu sync.Mutex
	nodeID []byte
)

// NodeID registers the deferred unlock before it locks: fine.
func NodeID() []byte {
	defer nodeMu.Unlock()
	nodeMu.Lock()
	if len(nodeID) == 0 {
		return nil
	}
	return nodeID
}

type DB struct {
	rwlock sync.Mutex
	opened bool
}

type Tx struct{ db *DB }

// Begin keeps the writer lock for the transaction; Tx.Close releases it: fine.
func (db *DB) Begin() (*Tx, error) {
	db.rwlock.Lock()
	if !db.opened {
		db.rwlock.Unlock()
		return nil, errors.New("database not open")
	}
	return &Tx{db: db}, nil
}

func (tx *Tx) Close() {
	tx.db.rwlock.Unlock()
}

type socket struct {
	sync.Mutex
	logins []string
}

// Login toggles the socket lock through a local helper: fine.
func (s *socket) Login(names []string) {
	locked := false
	lock := func(b bool) {
		if locked != b {
			locked = b
			if b {
				s.Lock()
			} else {
				s.Unlock()
			}
		}
	}
	for _, n := range names {
		lock(true)
		s.logins = append(s.logins, n)
		lock(false)
	}
}

type Devices struct {
	sync.Mutex
	busy int
}

// removeDevice is called with the lock held; it drops it while it waits and takes it back: fine.
func (d *Devices) removeDevice(tries int) error {
	for i := 0; i < tries; i++ {
		if d.busy == 0 {
			return nil
		}
		d.Unlock()
		d.Lock()
	}
	return errors.New("device busy")
}

type server struct {
	sync.RWMutex
	ping int
}

// best read-locks the candidate it keeps and unlocks the ones it drops: fine.
func best(servers []*server) *server {
	var b *server
	for _, next := range servers {
		if b == nil {
			b = next
			b.RLock()
			continue
		}
		next.RLock()
		if next.ping < b.ping {
			b.RUnlock()
			b = next
		} else {
			next.RUnlock()
		}
	}
	if b != nil {
		b.RUnlock()
	}
	return b
}
