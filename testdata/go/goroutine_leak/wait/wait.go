// Package wait: WaitGroup counts that never reach zero.
package wait

import (
	"log"
	"net/http"
	"os"
	"sync"
)

type Job struct {
	URL  string
	Skip bool
}

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return nil, nil
}

// An error return skips Done.
func FetchAll(urls []string) [][]byte {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out [][]byte
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			b, err := fetch(u)
			if err != nil {
				log.Print(err)
				return // want "goroutine-wait-forever: the goroutine returns here without calling wg.Done\\(\\): the count never reaches zero and the Wait in FetchAll blocks forever"
			}
			mu.Lock()
			out = append(out, b)
			mu.Unlock()
			wg.Done()
		}(u)
	}
	wg.Wait()
	return out
}

// A worker function with the same slip.
func worker(path string, wg *sync.WaitGroup, sizes chan<- int64) {
	fi, err := os.Stat(path)
	if err != nil {
		return // want "returns here without calling wg.Done\\(\\).*Wait in Sizes blocks forever"
	}
	sizes <- fi.Size()
	wg.Done()
}

func Sizes(paths []string) int64 {
	var wg sync.WaitGroup
	sizes := make(chan int64, len(paths))
	for _, p := range paths {
		wg.Add(1)
		go worker(p, &wg, sizes)
	}
	wg.Wait()
	close(sizes)
	var total int64
	for s := range sizes {
		total += s
	}
	return total
}

// Added before the decision to skip.
func Run(jobs []Job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1) // want "wg.Add\\(1\\) is not matched on every path"
		if j.Skip {
			continue
		}
		go func(j Job) {
			defer wg.Done()
			fetch(j.URL)
		}(j)
	}
	wg.Wait()
}

// Counted up front, but not every item gets a goroutine.
func RunAll(jobs []Job) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // want "wg.Add\\(len\\(jobs\\)\\) counts every item, but the loop can skip the goroutine"
	for _, j := range jobs {
		if j.URL == "" {
			continue
		}
		go func(j Job) {
			defer wg.Done()
			fetch(j.URL)
		}(j)
	}
	wg.Wait()
}

type Service struct {
	enabled bool
	wg      sync.WaitGroup
}

func (s *Service) loop() {
	defer s.wg.Done()
}

// The goroutine is optional, the Add is not.
func (s *Service) Start() {
	s.wg.Add(1) // want "s.wg.Add\\(1\\) is not matched on every path"
	if s.enabled {
		go s.loop()
	}
	s.wg.Wait()
}

// A switch case returns early.
func Check(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			resp, err := http.Head(u)
			switch {
			case err != nil:
				log.Print(err)
			case resp.StatusCode >= 500:
				log.Print(resp.Status)
				return // want "returns here without calling wg.Done"
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}
