package spamdlog

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// genLog is a log of n lines made as they are read, so that the test
// itself holds none of it. line(i, t) writes line i at time t; the n
// lines span the same 30 days whatever n is, as a busier gateway logs
// more lines in the same days.
type genLog struct {
	n, i int
	line func(b *strings.Builder, i int, t time.Time)
	buf  strings.Builder
	rest string
	// heap is HeapInuse after a GC at the end of the input, when the
	// reader holds everything it is going to keep.
	heap uint64
}

func (g *genLog) Read(p []byte) (int, error) {
	for g.rest == "" {
		if g.i == g.n {
			g.heap = heapInuse()
			return 0, io.EOF
		}
		start := time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC)
		t := start.Add(time.Duration(int64(30*24*time.Hour) / int64(g.n) * int64(g.i)))
		g.buf.Reset()
		g.line(&g.buf, g.i, t)
		g.rest = g.buf.String()
		g.i++
	}
	n := copy(p, g.rest)
	g.rest = g.rest[n:]
	return n, nil
}

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

const distinctAddrs = 3000

// authLine is an sshd or dovecot failure, or a repeat of the line
// before, from one of distinctAddrs addresses trying one of 8 users.
func authLine(b *strings.Builder, i int, t time.Time) {
	ip := fmt.Sprintf("198.51.%d.%d", i%distinctAddrs/250, i%distinctAddrs%250+1)
	user := fmt.Sprintf("u%d", i/distinctAddrs%8)
	switch i % 10 {
	case 9:
		fmt.Fprintf(b, "%s gw last message repeated 2 times\n", t.Format(time.Stamp))
	case 5:
		fmt.Fprintf(b, "%s gw dovecot: imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<%s>, method=PLAIN, rip=%s, lip=192.0.2.1, TLS\n", t.Format(time.Stamp), user, ip)
	default:
		fmt.Fprintf(b, "%s gw sshd-session[%d]: Failed password for invalid user %s from %s port %d ssh2\n", t.Format(time.Stamp), 1000+i%30000, user, ip, 1024+i%60000)
	}
}

// greyLine is a spamd (GREY) line from one of distinctAddrs addresses,
// now and then a forged sender of the site or a callback probe.
func greyLine(b *strings.Builder, i int, t time.Time) {
	ip := fmt.Sprintf("203.0.%d.%d", i%distinctAddrs/250, i%distinctAddrs%250+1)
	from := fmt.Sprintf("<s%d@example.net>", i%500)
	to := fmt.Sprintf("<u%d@example.org>", i%300)
	switch {
	case i%1000 == 7:
		// 20 probers, each with one epoch: the probes found are rows of
		// the report, so their number stays fixed too.
		to = fmt.Sprintf("<mx%d.example.com-%d-testing@example.org>", i/1000%20, 1766188800+i/1000%20*3600)
	case i%50 == 3:
		from = fmt.Sprintf("<forged%d@example.org>", i%40)
	}
	fmt.Fprintf(b, "%s gw spamd[300]: (GREY) %s: %s -> %s\n", t.Format(time.Stamp), ip, from, to)
}

// TestMemoryBounded: what the readers keep grows with the distinct
// addresses, users, days and recipients, not with the lines. Ten times
// the lines from the same distinctAddrs addresses over the same days
// must not need ten times the heap.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 2 million lines per reader")
	}
	readers := []struct {
		name string
		line func(*strings.Builder, int, time.Time)
		read func(io.Reader) error
	}{
		{"gropers by pair", authLine, func(r io.Reader) error {
			s := NewSummary("pair")
			return ReadAttempts(r, Options{Year: 2025}, s.Add)
		}},
		{"gropers by day", authLine, func(r io.Reader) error {
			var d DayTally
			return ReadAttempts(r, Options{Year: 2025}, d.Add)
		}},
		{"callbacks", greyLine, func(r io.Reader) error {
			_, err := FindCallbacks(r, Options{Year: 2025})
			return err
		}},
		{"traps", greyLine, func(r io.Reader) error {
			_, err := FindTrapCandidates(r, TrapOptions{Options: Options{Year: 2025}, Domains: []string{"example.org"}})
			return err
		}},
	}
	const limit = 16 << 20 // far above what distinctAddrs need, far below a record per line
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			var growth [2]uint64
			for i, n := range []int{200_000, 2_000_000} {
				before := heapInuse()
				g := &genLog{n: n, line: rd.line}
				if err := rd.read(g); err != nil {
					t.Fatal(err)
				}
				if g.heap > before {
					growth[i] = g.heap - before
				}
				t.Logf("%d lines: heap in use grew by %d KiB", n, growth[i]>>10)
			}
			// assert that: the heap at the end of 2M lines is under a fixed
			// bound and less than twice (plus 1 MiB of noise) that of 200k.
			if growth[1] > limit || growth[1] > 2*growth[0]+1<<20 {
				t.Errorf("heap in use grew by %d KiB for 200k lines and %d KiB for 2M, want under %d KiB and not growing with the lines",
					growth[0]>>10, growth[1]>>10, limit>>10)
			}
		})
	}
}

// TestEachLineLong: a line longer than the read buffer is cut to
// maxLine and the rest skipped as it is read, and the next line is read
// whole, with or without a final newline.
func TestEachLineLong(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []int // lengths of the lines fn gets
	}{
		{"short", "ab\r\ncd", []int{2, 2}},
		{"cut", strings.Repeat("x", maxLine+10) + "\nok\n", []int{maxLine, 2}},
		{"over the buffer", strings.Repeat("x", 200*1024) + "\nok\n", []int{maxLine, 2}},
		{"over the buffer at the end", "ok\n" + strings.Repeat("x", 200*1024), []int{2, maxLine}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			if err := eachLine(strings.NewReader(tt.in), func(s string) { got = append(got, len(s)) }); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("eachLine gave lines of %v bytes, want %v", got, tt.want)
			}
		})
	}
}
