package packages

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func names(t *testing.T, ss ...string) []Name {
	t.Helper()
	var out []Name
	for _, s := range ss {
		n, err := ParseName(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func strs(ns []Name) string {
	var b []string
	for _, n := range ns {
		b = append(b, n.String())
	}
	return strings.Join(b, " ")
}

func TestParseListForms(t *testing.T) {
	tests := []struct{ file, want string }{
		{"pkg_info-mz.txt", "certbot-- firefox-- git-- gettext-- letsencrypt-- mutt--gpgme-sasl postfix--sasl2%stable py-requests-- python--%3.11 vim--no_x11"},
		{"pkg_info-m.txt", "firefox-128.0.3 git-2.46.1 python-3.11.10p1 screen-4.9.1v0 vim-9.1.0707-no_x11"},
		{"pkg_info-mq.txt", "firefox-128.0.3 git-2.46.1 python-3.11.10p1 vim-9.1.0707-no_x11"},
	}
	for _, tt := range tests {
		f, err := os.Open("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseList(f)
		f.Close()
		if err != nil {
			t.Fatalf("ParseList(%s): %v", tt.file, err)
		}
		if s := strs(got); s != tt.want {
			t.Errorf("ParseList(%s) = %s, want %s", tt.file, s, tt.want)
		}
	}
}

func TestParseListErrors(t *testing.T) {
	in := "vim--no_x11\r\n\n  indented\n# comment\nfoo--bar--\ngit--\n"
	got, err := ParseList(strings.NewReader(in))
	if s := strs(got); s != "vim--no_x11 git--" {
		t.Errorf("ParseList kept %q, want the two good names", s)
	}
	if err == nil {
		t.Fatal("ParseList: no error for bad lines")
	}
	for _, want := range []string{"line 3: starts with a blank", "line 4: package name \"#\"", "line 5: "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ParseList error %q does not contain %q", err, want)
		}
	}
}

// TestParseListRepeats: two listings joined name some packages twice;
// each is one package, listed once (where it first appears).
func TestParseListRepeats(t *testing.T) {
	got, err := ParseList(strings.NewReader("vim--no_x11\ngit--\nvim--no_x11\npython--%3.12\ngit--\nvim--gtk3\n"))
	if err != nil || strs(got) != "vim--no_x11 git-- python--%3.12 vim--gtk3" {
		t.Errorf("ParseList with repeats = %s, %v", strs(got), err)
	}
}

// TestParseListBOM: an editor on Windows starts a UTF-8 file with a
// byte-order mark; it is not part of the first name.
func TestParseListBOM(t *testing.T) {
	got, err := ParseList(strings.NewReader("\ufeffvim--no_x11\r\ngit--\r\n"))
	if err != nil || strs(got) != "vim--no_x11 git--" {
		t.Errorf("ParseList with a BOM = %s, %v", strs(got), err)
	}
}

func TestWriteList(t *testing.T) {
	var b bytes.Buffer
	if err := WriteList(&b, names(t, "vim--no_x11", "firefox--", "python--%3.12", "git")); err != nil {
		t.Fatal(err)
	}
	if want := "vim--no_x11\nfirefox--\npython--%3.12\ngit\n"; b.String() != want {
		t.Errorf("WriteList = %q, want %q", b.String(), want)
	}
	// A name with a blank would be cut by pkg_add -l: nothing is written.
	b.Reset()
	err := WriteList(&b, []Name{{Stem: "vim", Kind: Bare}, {Stem: "bad name", Kind: Bare}})
	if err == nil || !strings.Contains(err.Error(), "entry 2") {
		t.Errorf("WriteList with a blank in a name: err = %v, want entry 2 rejected", err)
	}
	if b.Len() != 0 {
		t.Errorf("WriteList wrote %q despite an error", b.String())
	}
	// The rendered list reads back as the same names.
	in := names(t, "vim--gtk3-lua", "postfix--sasl2%stable", "screen-4.9.1v0")
	b.Reset()
	if err := WriteList(&b, in); err != nil {
		t.Fatal(err)
	}
	back, err := ParseList(&b)
	if err != nil || strs(back) != strs(in) {
		t.Errorf("round trip: %s, %v; want %s", strs(back), err, strs(in))
	}
}

func TestDiffLists(t *testing.T) {
	old := names(t, "vim--no_x11", "firefox--", "python--%3.11", "mutt--", "git--", "python--%3.10")
	cur := names(t, "vim--gtk3", "firefox--", "python--%3.12", "git--", "certbot--", "python--%3.10")
	d := DiffLists(old, cur)
	if got := strs(d.Added); got != "certbot--" {
		t.Errorf("Added = %s", got)
	}
	if got := strs(d.Removed); got != "mutt--" {
		t.Errorf("Removed = %s", got)
	}
	var ch []string
	for _, c := range d.Changed {
		ch = append(ch, c.Old.String()+">"+c.New.String()+":"+strings.Join(c.Changed, ","))
	}
	if got, want := strings.Join(ch, " "), "python--%3.11>python--%3.12:branch vim--no_x11>vim--gtk3:flavors"; got != want {
		t.Errorf("Changed = %s, want %s", got, want)
	}
	if !DiffLists(old, old).Empty() {
		t.Error("DiffLists(x, x) is not empty")
	}
}

func TestDiffListsDuplicates(t *testing.T) {
	// A list given twice over (two listings joined with cat) names the
	// same packages: nothing was added or removed.
	tests := []struct{ old, cur []string }{
		{[]string{"vim--no_x11", "git--", "vim--no_x11"}, []string{"git--", "vim--no_x11"}},
		{[]string{"git--"}, []string{"git--", "git--"}},
		{[]string{"python-3.11.10p1", "python-3.11.10p1"}, []string{"python-3.11.10p1"}},
	}
	for _, tt := range tests {
		if d := DiffLists(names(t, tt.old...), names(t, tt.cur...)); !d.Empty() {
			t.Errorf("DiffLists(%v, %v) = %+v, want empty", tt.old, tt.cur, d)
		}
	}
}

func TestDiffListsAcrossForms(t *testing.T) {
	// pkg_info -mz on one side, pkg_info -m on the other: no version or
	// branch to compare, so only flavor changes count.
	d := DiffLists(names(t, "firefox--", "python--%3.11", "vim--no_x11"), names(t, "firefox-128.0.3", "python-3.11.10p1", "vim-9.1.0707-gtk3"))
	if len(d.Added)+len(d.Removed) != 0 || len(d.Changed) != 1 || d.Changed[0].Old.Stem != "vim" {
		t.Errorf("DiffLists across forms = %+v, want only vim's flavors changed", d)
	}
	d = DiffLists(names(t, "git-2.46.1"), names(t, "git-2.49.0"))
	if len(d.Changed) != 1 || d.Changed[0].Changed[0] != "version" {
		t.Errorf("DiffLists of two versions = %+v", d)
	}
}

func TestLongLineNamesItsLine(t *testing.T) {
	in := "vim--no_x11\n" + strings.Repeat("x", maxLine+1) + "\ngit--\n"
	_, err := ParseList(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "line 2: longer than") {
		t.Errorf("ParseList with a long line 2: err = %v", err)
	}
	_, err = ParseIndex(strings.NewReader("SHA256 (git-2.49.0.tgz) = 00\n" + strings.Repeat("x", maxLine+1) + "\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2: longer than") {
		t.Errorf("ParseIndex with a long line 2: err = %v", err)
	}
}
