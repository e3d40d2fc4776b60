package serve

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// benchClients is the number of concurrent installers the benchmarks
// simulate; benchRate is the offered load of the paced benchmark.
const (
	benchClients = 64
	benchRate    = 5000 // requests per second
)

// benchServer serves the example site with autoinstall's renderer and a
// state directory on 127.0.0.1:0, and returns a function fetching the
// laptop's install.conf over keep-alive connections.
func benchServer(b *testing.B) func() error {
	sets, _, _ := mirror(b)
	store, err := OpenStore(filepath.Join(b.TempDir(), "state"), nil)
	if err != nil {
		b.Fatal(err)
	}
	// The access log goes to a file, as fugu serve's stderr would: one
	// line and one write per request, part of what is measured.
	logFile, err := os.Create(filepath.Join(b.TempDir(), "access.log"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { logFile.Close() })
	// Every client runs on 127.0.0.1: no per-address cap.
	srv, err := New(Config{Renderer: Autoinstall{}, Store: store, SetsDir: sets, MaxConnsPerAddr: -1,
		Log: slog.New(slog.NewTextHandler(logFile, nil))}, NewSnapshot(loadSite(b, siteFS(b, "")), time.Now()))
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done, flushed := make(chan error, 1), make(chan struct{})
	go func() { store.Run(ctx); close(flushed) }()
	go func() { done <- srv.Serve(ctx, ln, 0) }()
	b.Cleanup(func() { cancel(); <-done; <-flushed })

	url := "http://" + ln.Addr().String() + "/" + laptopMAC + "-install.conf?path=7.8/amd64"
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: benchClients, MaxIdleConnsPerHost: benchClients}}
	get := func() error {
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Errorf("status %d", resp.StatusCode)
		}
		return err
	}
	if err := get(); err != nil { // warm the render cache
		b.Fatal(err)
	}
	return get
}

// cpuTime is the CPU time (user and system) the process has used so far:
// unlike wall time it does not grow when other processes share the cores,
// so cpu-us/req gives the capacity of dedicated cores (2 cores: 2e6 /
// cpu-us/req requests per second, client included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func report(b *testing.B, lat []time.Duration, elapsed, cpu time.Duration, before *runtime.MemStats) {
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(lat)), "cpu-us/req")
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-growth-MB")
}

// BenchmarkServeInstallConf measures install.conf requests over a real
// listener with 64 concurrent keep-alive clients asking as fast as they
// can, through the whole server: grammar, lookup, trail recording (the
// state directory is written in the background), the cached render and
// the access log line (written to a file). It
// reports the throughput, p50 and p99 latency at that saturation, and the
// live heap growth over the run (-benchtime 100000x: memory over 100,000
// requests). Client and server share the machine's cores.
func BenchmarkServeInstallConf(b *testing.B) {
	get := benchServer(b)
	lat := make([]time.Duration, b.N)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var next atomic.Int64
	b.SetParallelism((benchClients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			if err := get(); err != nil {
				b.Error(err)
				return
			}
			lat[next.Add(1)-1] = time.Since(t0)
		}
	})
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	report(b, lat[:next.Load()], elapsed, cpu, &before)
}

// BenchmarkServeInstallConfPaced offers 5,000 requests per second from 64
// clients, each on a fixed schedule, and measures each latency from the
// moment its request was due (so a stall delays and counts every request
// behind it). It reports the p50 and p99 at that load.
func BenchmarkServeInstallConfPaced(b *testing.B) {
	get := benchServer(b)
	per := (b.N + benchClients - 1) / benchClients
	interval := time.Second * benchClients / benchRate
	lat := make([]time.Duration, per*benchClients)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for c := range benchClients {
		wg.Go(func() {
			due := start.Add(interval * time.Duration(c) / benchClients)
			for i := range per {
				time.Sleep(time.Until(due))
				if err := get(); err != nil {
					b.Error(err)
					return
				}
				lat[c*per+i] = time.Since(due)
				due = due.Add(interval)
			}
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	report(b, lat, elapsed, cpu, &before)
}

// BenchmarkHandlerInstallConf is the server's own cost per install.conf,
// without the network: ServeHTTP on a recorder, access log on.
func BenchmarkHandlerInstallConf(b *testing.B) {
	f := newFixture(b, "", func(c *Config) {
		c.Renderer = Autoinstall{}
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	})
	target := "/" + laptopMAC + "-install.conf?path=7.8/amd64"
	if w := f.get(target, "192.0.2.50"); w.Code != 200 {
		b.Fatalf("status %d", w.Code)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if w := f.get(target, "192.0.2.50"); w.Code != 200 {
				b.Errorf("status %d", w.Code)
			}
		}
	})
}
