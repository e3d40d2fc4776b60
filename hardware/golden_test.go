package hardware

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// The fixtures in testdata/dmesg are 25 real dmesgs; SOURCES.tsv there says
// where each came from (repository, commit, path). Their golden reports in
// testdata/golden were produced by this test with -update and reviewed by
// hand against the raw text for memory, disks, NICs and firmware.

func dmesgFixtures(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/dmesg/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 25 {
		t.Fatalf("testdata/dmesg holds %d dmesgs, want 25", len(files))
	}
	return files
}

func parseFile(t testing.TB, path string) *Facts {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	facts, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return facts
}

// checkGolden compares got with testdata/golden/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./hardware -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s\nrun go test ./hardware -update and review the diff", path, got)
	}
}

func TestGoldenJSON(t *testing.T) {
	for _, path := range dmesgFixtures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, parseFile(t, path)); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".json", b.Bytes())
		})
	}
}

// referenceLaptop is the fixture closest to the reference laptop (amd64,
// inteldrm, Intel wireless, re, NVMe SSD): an HP ProBook 430 G7.
const referenceLaptop = "testdata/dmesg/bsdhw__Notebook_Hewlett-Packard_ProBook_ProBook_430_G7_3AF18683D3B4_OPENBSD-7.2_7.2_AMD64_0E2278AFFA.txt"

func TestGoldenReferenceReports(t *testing.T) {
	facts := parseFile(t, referenceLaptop)
	var text, mdown bytes.Buffer
	if err := WriteText(&text, facts); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&mdown, facts); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "reference-laptop.txt", text.Bytes())
	checkGolden(t, "reference-laptop.md", mdown.Bytes())
}

// headlessDmesg is a buffer that wrapped until only one repeated warning
// was left: every list in the report is empty.
const headlessDmesg = "testdata/dmesg/bsdhw__Desktop_Raspberry_Pi_Foundation_Raspberry_Raspberry_Pi_400_E801F5992E33_OPENBSD-7.0_7.0_ARM64_B35265F8F4.txt"

func TestGoldenHeadlessReport(t *testing.T) {
	var text bytes.Buffer
	if err := WriteText(&text, parseFile(t, headlessDmesg)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "headless.txt", text.Bytes())
}
