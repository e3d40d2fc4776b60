package serve

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugu/profiles"
)

// chromium returns the path of Debian's chromium, skipping the test when
// it is absent, except under CI where that is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not installed (Debian package chromium); required under CI")
		}
		t.Skip("chromium not installed")
	}
	return p
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// TestStatusPageInChromium renders the status page in a real browser:
// the DOM has a row per machine and the pending MAC, and the screenshot
// is a picture, not a blank page.
func TestStatusPageInChromium(t *testing.T) {
	bin := chromium(t)
	f := newFixture(t, "", nil)
	base := liveServer(t, f)
	fetch(t, "GET", base+"/"+laptopMAC+"-install.conf?path=7.8/amd64", 200)
	fetch(t, "GET", base+"/"+unknownMAC+"-install.conf?path=7.8/amd64", 404)

	dom := string(runChromium(t, bin, "--dump-dom", base+"/"))
	for _, want := range []string{`<table id="machines">`, `data-name="delilah"`, `data-name="probook"`, `data-name="mx1"`,
		`<table id="pending">`, unknownMAC, "answers"} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %q:\n%s", want, dom)
		}
	}
	if n, want := strings.Count(dom, `<tr class="machine"`), len(loadSite(t, profiles.ExampleSite()).Machines); n != want {
		t.Errorf("DOM has %d machine rows, want %d", n, want)
	}

	shot := filepath.Join(t.TempDir(), "status.png")
	runChromium(t, bin, "--screenshot="+shot, "--window-size=1200,800", base+"/")
	file, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer file.Close()
	img, err := png.Decode(file)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
		t.Errorf("screenshot is %v, want 1200x800", b)
	}
	if v, dark := variance(img); v < 100 || dark < 0.001 {
		t.Errorf("screenshot looks blank: luminance variance %.1f, dark share %.4f", v, dark)
	}
}

// variance returns the variance of pixel luminance (0-255) and the share
// of dark pixels (text, the table header).
func variance(img image.Image) (float64, float64) {
	b := img.Bounds()
	var sum, sq, dark, n float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sq += l * l
			if l < 128 {
				dark++
			}
			n++
		}
	}
	mean := sum / n
	return sq/n - mean*mean, dark / n
}
