package main

import (
	"bytes"
	"cmp"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"fugu/profiles"

	"github.com/rogpeppe/go-internal/txtar"
)

// docFiles are the documents whose transcripts TestDocTranscripts runs,
// relative to this directory.
var docFiles = []string{"../../README.md", "../../docs/commands.md", "../../docs/profiles.md"}

// step is one "$ command" of a transcript in a fenced block and the lines
// shown after it.
type step struct {
	doc   string
	block int // the fenced block's number in all documents
	line  int // of the "$ " line
	cmd   string
	out   []string
}

// transcripts returns the steps of every fenced block of the documents.
func transcripts(t *testing.T) []step {
	t.Helper()
	var steps []step
	block := 0
	for _, doc := range docFiles {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		in := false
		var cur *step
		for i, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "```") {
				in, cur = !in, nil
				block++
				continue
			}
			switch {
			case !in:
			case strings.HasPrefix(l, "$ "):
				steps = append(steps, step{doc: filepath.Base(doc), block: block, line: i + 1, cmd: strings.TrimPrefix(l, "$ ")})
				cur = &steps[len(steps)-1]
			case cur != nil:
				cur.out = append(cur.out, l)
			}
		}
	}
	return steps
}

// siteOf is the --site of a command line, or "" for the embedded site.
var siteOf = regexp.MustCompile(`--site (\S+)`)

// docCommands are the commands whose transcripts TestDocTranscripts runs:
// those that need no host and no site made by an earlier command.
var docCommands = []string{"fugu profile validate", "fugu profile show", "fugu render ", "fugu firewall render", "fugu firewall apply",
	"fugu firewall confirm", "fugu profile init"}

// fileCommands are run too where the transcript names the files they
// read by their path in the repository (docs/commands.md does; the
// README's tour says in prose which directory they are in).
var fileCommands = []string{"fugu firewall check", "fugu lint", "fugu dhcpd-conf", "fugu hw report", "fugu hw firmware", "fugu pkg ", "fugu spamd "}

// repoDirs are the repository's directories whose test data the
// transcripts read (hardware/testdata/dmesg/...); they are linked into
// the directory the transcripts run in.
var repoDirs = []string{"autoinstall", "firewall", "hardware", "packages"}

// madeSites are sites the documents make with fugu profile init and fugu
// hw enroll; their transcripts are not run.
var madeSites = []string{"site"}

// docVolatile are the parts of the output that change from run to run or
// with every change to a rendered file: backup timestamps, the time a
// dump was generated, file sizes.
var docVolatile = regexp.MustCompile(`\b20[0-9]{12}\b|# generated: \S+|\([0-9]+ bytes\)`)

// TestDocTranscripts: the transcripts of docCommands in the README and
// docs/ print what they show. The sites they run on are made of the files
// the documents show with `$ cat`, or else of the testscript archive that
// has them (docs/profiles.md names it); a site with profiles but no
// machines.yaml gets one machine of its first profile, as
// docs/profiles.md says. A "..." line stands for any number of lines.
func TestDocTranscripts(t *testing.T) {
	steps := transcripts(t)
	files := map[string]string{}
	where := map[string]string{}
	for _, s := range steps {
		name, ok := strings.CutPrefix(s.cmd, "cat ")
		if !ok || strings.ContainsAny(name, " |;") {
			continue
		}
		content := strings.Join(s.out, "\n") + "\n"
		if old, dup := files[name]; dup && old != content {
			t.Errorf("%s:%d: cat %s shows other content than %s", s.doc, s.line, name, where[name])
		}
		files[name], where[name] = content, s.doc+":"+strconv.Itoa(s.line)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("FUGU_SITE", "")
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	for name, content := range files {
		writeFile(t, name, content)
	}
	for _, d := range repoDirs {
		if err := os.Symlink(filepath.Join(testdataWD, "..", "..", d), d); err != nil {
			t.Fatal(err)
		}
	}

	ran := map[string]bool{}
	cwd := map[int]string{}  // block -> directory a "$ cd" step went to
	base := map[int]string{} // block -> the directory it runs in, when not dir
	for _, s := range steps {
		if d, ok := strings.CutPrefix(s.cmd, "cd "); ok {
			cwd[s.block] = d
			continue
		}
		runs := func(c string) bool { return strings.HasPrefix(s.cmd, c) }
		if !slices.ContainsFunc(docCommands, runs) && (s.doc == "README.md" || !slices.ContainsFunc(fileCommands, runs)) ||
			strings.ContainsAny(s.cmd, "|;>") || strings.Contains(s.cmd, "../shared/") {
			// The shared test data is outside the repository.
			continue
		}
		if strings.HasPrefix(s.cmd, "fugu profile init") && base[s.block] == "" {
			// Each block that makes a site starts afresh.
			base[s.block] = t.TempDir()
		}
		if m := siteOf.FindStringSubmatch(s.cmd); m != nil {
			if slices.Contains(madeSites, filepath.Clean(m[1])) {
				continue
			}
			provideSite(t, m[1])
		}
		t.Run(s.doc+":"+strconv.Itoa(s.line), func(t *testing.T) {
			t.Chdir(filepath.Join(cmp.Or(base[s.block], dir), cwd[s.block]))
			var out, errb bytes.Buffer
			Execute(context.Background(), strings.Fields(s.cmd)[1:], &Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
			got := strings.Split(strings.TrimSuffix(out.String()+errb.String(), "\n"), "\n")
			if !linesMatch(mask(s.out), mask(got)) {
				t.Errorf("$ %s\nprints\n%s\nbut %s:%d shows\n%s", s.cmd, strings.Join(got, "\n"), s.doc, s.line, strings.Join(s.out, "\n"))
			}
		})
		ran[s.doc] = true
	}
	// assert that: each document had transcripts to run
	for _, doc := range docFiles {
		if !ran[filepath.Base(doc)] {
			t.Errorf("no fugu profile transcript found in %s", doc)
		}
	}
}

// provideSite makes sure site exists in the working directory: from the
// testscript archive that has it when no document shows its files, and
// with a machines.yaml when the documents show only its profiles.
func provideSite(t *testing.T, site string) {
	t.Helper()
	if _, err := os.Stat(site); os.IsNotExist(err) {
		archives, _ := filepath.Glob(filepath.Join(testdataDir(t), "script", "*.txtar"))
		for _, a := range archives {
			ar, err := txtar.ParseFile(a)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range ar.Files {
				if strings.HasPrefix(f.Name, site+"/") {
					writeFile(t, f.Name, string(f.Data))
				}
			}
			if _, err := os.Stat(site); err == nil {
				break
			}
		}
	}
	if _, err := os.Stat(filepath.Join(site, "machines.yaml")); os.IsNotExist(err) {
		profiles, _ := filepath.Glob(filepath.Join(site, "profiles", "*.yaml"))
		if len(profiles) == 0 {
			t.Fatalf("site %s: no document shows its files, and no testscript archive has them", site)
		}
		sort.Strings(profiles)
		first := strings.TrimSuffix(filepath.Base(profiles[0]), ".yaml")
		writeFile(t, filepath.Join(site, "machines.yaml"), "machines: [{name: web1, profile: "+first+"}]\n")
	}
}

// mask replaces docVolatile in lines.
func mask(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = docVolatile.ReplaceAllString(l, "VOLATILE")
	}
	return out
}

// linesMatch reports whether got are the lines of want, where a "..."
// line in want stands for any number of lines.
func linesMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "..." {
		for i := 0; i <= len(got); i++ {
			if linesMatch(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0] == got[0] && linesMatch(want[1:], got[1:])
}

var testdataWD, _ = os.Getwd()

// testdataDir is this package's testdata, found before a test changes
// directory.
func testdataDir(t *testing.T) string {
	t.Helper()
	return filepath.Join(testdataWD, "testdata")
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// yamlBlocks returns the ```yaml blocks of a document, each with the line
// of its first line.
func yamlBlocks(t *testing.T, doc string) (blocks []string, lines []int) {
	t.Helper()
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	var cur []string
	in := false
	for i, l := range strings.Split(string(data), "\n") {
		switch {
		case !in && l == "```yaml":
			in, cur = true, nil
			lines = append(lines, i+2)
		case in && l == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n")+"\n")
		case in:
			cur = append(cur, l)
		}
	}
	return blocks, lines
}

// TestDocYAMLLoads: every YAML example of the README and docs/ loads in the
// embedded example site, in place of the file it shows: a profile excerpt
// (whose lines are the file's, in order) as that profile, a machines.yaml
// as the inventory.
func TestDocYAMLLoads(t *testing.T) {
	n := 0
	for _, doc := range docFiles {
		blocks, lines := yamlBlocks(t, doc)
		for i, b := range blocks {
			n++
			at := filepath.Base(doc) + ":" + strconv.Itoa(lines[i])
			site := fstest.MapFS{}
			if err := fs.WalkDir(profiles.ExampleSite(), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := fs.ReadFile(profiles.ExampleSite(), p)
				site[p] = &fstest.MapFile{Data: data}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			file := profiles.InventoryFile
			if m := regexp.MustCompile(`^# (profiles/[a-z]+\.yaml) of the embedded example site`).FindStringSubmatch(b); m != nil {
				file = m[1]
				if !isExcerpt(b, string(site[file].Data)) {
					t.Errorf("%s: the excerpt's lines are not %s's, in order", at, file)
				}
			} else if !strings.HasPrefix(b, "defaults:") && !strings.HasPrefix(b, "machines:") {
				t.Errorf("%s: a YAML example that is neither a machines.yaml nor says which profile it shows", at)
				continue
			}
			site[file] = &fstest.MapFile{Data: []byte(b)}
			if _, err := profiles.Load(site); err != nil {
				t.Errorf("%s: the example as %s does not load:\n%v", at, file, err)
			}
		}
	}
	// assert that: the examples were found
	if n < 2 {
		t.Errorf("found %d YAML examples, want the README's profile and docs/profiles.md's machines.yaml", n)
	}
}

// isExcerpt reports whether the lines of excerpt other than comments and
// blank lines are lines of file, in order.
func isExcerpt(excerpt, file string) bool {
	have := strings.Split(file, "\n")
	for _, l := range strings.Split(excerpt, "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		i := slices.Index(have, l)
		if i < 0 {
			return false
		}
		have = have[i+1:]
	}
	return true
}
