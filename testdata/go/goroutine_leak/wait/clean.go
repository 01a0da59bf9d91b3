package wait

import (
	"log"
	"sync"
)

// Deferred Done covers every path.
func FetchDefer(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			if _, err := fetch(u); err != nil {
				log.Print(err)
				return
			}
		}(u)
	}
	wg.Wait()
}

// Done on both branches.
func FetchBoth(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if _, err := fetch(u); err != nil {
				log.Print(err)
				wg.Done()
				return
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// Add right before the go statement, after the skip.
func RunChecked(jobs []Job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.Skip {
			continue
		}
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			fetch(j.URL)
		}(j)
	}
	wg.Wait()
}

// Every item gets its goroutine.
func RunEvery(jobs []Job) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for _, j := range jobs {
		go func(j Job) {
			defer wg.Done()
			fetch(j.URL)
		}(j)
	}
	wg.Wait()
}

// Done in the else branch when no goroutine is started.
func (s *Service) StartChecked() {
	s.wg.Add(1)
	if s.enabled {
		go s.loop()
	} else {
		s.wg.Done()
	}
	s.wg.Wait()
}

func finish(wg *sync.WaitGroup, err error) {
	if err != nil {
		log.Print(err)
	}
	wg.Done()
}

// Done through a helper on every path.
func FetchHelper(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			_, err := fetch(u)
			finish(&wg, err)
		}(u)
	}
	wg.Wait()
}

// A batch worker calls Done per item: not followed.
func Batch(items [][]string) {
	var wg sync.WaitGroup
	n := 0
	for _, b := range items {
		n += len(b)
	}
	wg.Add(n)
	go func() {
		for _, b := range items {
			for _, u := range b {
				fetch(u)
				wg.Done()
			}
		}
	}()
	wg.Wait()
}

// One goroutine of many signals, by design.
func FirstDone(n int, signal int) {
	var one, all sync.WaitGroup
	one.Add(1)
	all.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			fetch("x")
			all.Done()
			if i == signal {
				one.Done()
			}
		}(i)
	}
	one.Wait()
	all.Wait()
}

// The wait is deferred, registered before the goroutine starts.
func Background(path string) {
	var wg sync.WaitGroup
	wg.Add(1)
	defer wg.Wait()
	go func() {
		defer wg.Done()
		fetch(path)
	}()
}

func each(items []string, f func(string)) {
	for _, it := range items {
		f(it)
	}
}

// Done is called by a callback of the spawner.
func Callbacks(items []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	first := true
	go each(items, func(s string) {
		if first {
			first = false
			wg.Done()
		}
	})
	wg.Wait()
}
