package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"

	"fugu/migrate/home"

	"github.com/schollz/progressbar/v3"
)

// homeProgress shows a migrate home run: a byte progress bar (rate, ETA)
// and a file count on a terminal, a plain line every few seconds
// otherwise, or JSON events with --json. Failures, skips and exclusions
// are always printed, one line each.
type homeProgress struct {
	mu    sync.Mutex
	out   io.Writer
	err   io.Writer
	json  *json.Encoder
	bar   *progressbar.ProgressBar
	files int64
	total int64
	bytes int64
	max   int64
	last  time.Time
}

func newHomeProgress(s *Streams, jsonOut bool) *homeProgress {
	p := &homeProgress{out: s.Out, err: s.Err, last: time.Now()}
	if jsonOut {
		p.json = json.NewEncoder(s.Out)
	} else if IsTerminal(s.Err) {
		// No spinner interval: the bar's length is unknown until the
		// walk's total comes, and progressbar would then redraw it from
		// a goroutine of its own, racing with Clear and with the lines
		// printed under it. It is drawn from the calls below only,
		// under p.mu.
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetSpinnerChangeInterval(0),
			progressbar.OptionSetWriter(s.Err),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *homeProgress) Total(files, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.max = files, bytes
	if p.bar != nil {
		p.bar.ChangeMax64(bytes)
	}
	if p.json != nil {
		_ = p.json.Encode(map[string]any{"event": "total", "files": files, "bytes": bytes})
	}
}

func (p *homeProgress) Bytes(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bytes += n
	if p.bar != nil {
		_ = p.bar.Add64(n)
		return
	}
	if p.json == nil && time.Since(p.last) >= 5*time.Second {
		p.last = time.Now()
		fmt.Fprintf(p.err, "progress: %d/%d files, %d/%d bytes\n", p.files, p.total, p.bytes, p.max)
	}
}

func (p *homeProgress) Event(e home.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Kind == home.Copied || e.Kind == home.Unchanged || e.Kind == home.Linked {
		p.files++
		if p.bar != nil {
			p.bar.Describe(fmt.Sprintf("%d/%d files", p.files, p.total))
		}
	}
	if p.json != nil {
		ev := map[string]any{"event": string(e.Kind), "path": e.Path}
		if e.Size > 0 {
			ev["size"] = e.Size
		}
		switch {
		case e.Type.IsDir():
			ev["type"] = "directory"
		case e.Type&fs.ModeSymlink != 0:
			ev["type"], ev["target"] = "symlink", e.Target
		}
		if e.LinkTo != "" {
			ev["link_to"] = e.LinkTo
		}
		if e.Rule != "" {
			ev["rule"] = e.Rule
		}
		if e.Err != nil {
			ev["error"] = e.Err.Error()
		}
		_ = p.json.Encode(ev)
		return
	}
	var line string
	switch e.Kind {
	case home.Planned:
		switch {
		case e.Type.IsDir():
			line = fmt.Sprintf("would copy %q", e.Path+"/")
		case e.Type&fs.ModeSymlink != 0:
			line = fmt.Sprintf("would copy %q -> %q", e.Path, e.Target)
		case e.LinkTo != "":
			line = fmt.Sprintf("would copy %q (hard link to %q)", e.Path, e.LinkTo)
		default:
			line = fmt.Sprintf("would copy %q", e.Path)
		}
	case home.Excluded:
		line = fmt.Sprintf("excluded %q (rule %s)", e.Path, e.Rule)
	case home.Skipped, home.Failed, home.Warning:
		line = fmt.Sprintf("%s %q: %v", e.Kind, e.Path, e.Err)
	default:
		return
	}
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	w := p.err
	if e.Kind == home.Planned {
		w = p.out
	}
	fmt.Fprintln(w, line)
}

// notices is where messages from outside the run go while it lasts (the
// SSH layer's keepalive and host key notes): each write takes the bar
// off the line first, as the run's own failure lines do, so a message
// never lands in the middle of it.
func (p *homeProgress) notices() io.Writer { return noticeWriter{p} }

type noticeWriter struct{ p *homeProgress }

func (w noticeWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	if w.p.bar != nil {
		_ = w.p.bar.Clear()
	}
	return w.p.err.Write(b)
}

// summary prints the outcome; with --json as a final "summary" object.
func (p *homeProgress) summary(s home.Summary, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
	if p.json != nil {
		ev := map[string]any{"event": "summary", "copied": s.Copied, "linked": s.Linked,
			"unchanged": s.Unchanged, "excluded": s.Excluded, "skipped": s.Skipped,
			"failed": s.Failed, "warnings": s.Warnings, "bytes_sent": s.Bytes,
			"bytes_resumed": s.Resumed, "seconds": s.Duration.Seconds()}
		if err != nil {
			ev["error"] = err.Error()
		}
		_ = p.json.Encode(ev)
		return
	}
	rate := float64(s.Bytes) / max(s.Duration.Seconds(), 1e-3) / 1e6
	fmt.Fprintf(p.out, "copied %d, linked %d, unchanged %d, excluded %d, skipped %d, failed %d; %d bytes sent (%.1f MB/s), %d resumed, %s\n",
		s.Copied, s.Linked, s.Unchanged, s.Excluded, s.Skipped, s.Failed, s.Bytes, rate, s.Resumed, s.Duration.Round(time.Millisecond))
}
