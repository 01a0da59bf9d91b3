package accum

import "testing"

func TestWatcher(t *testing.T) {
	w := &Watcher{events: make(chan Event, 1)}
	w.events <- Event{Kind: "a"}
	close(w.events)
	var seen []Event
	for ev := range w.events {
		seen = append(seen, ev)
	}
	if len(seen) != 1 {
		t.Fatal(seen)
	}
}
