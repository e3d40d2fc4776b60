package serve

import (
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"fugu/profiles"
)

// serveFromRoot serves name (already checked against the request grammar)
// from a mirror root with ranges and conditional requests. Directories,
// special files and anything a symbolic link points to outside the root
// are 404. It reports whether the file was served.
func serveFromRoot(w http.ResponseWriter, r *http.Request, root *os.Root, name string) bool {
	if root == nil {
		http.Error(w, "not found", http.StatusNotFound)
		return false
	}
	// Opening a named pipe blocks until something writes to it, with no
	// timeout: only what is a regular file now is opened at all.
	if fi, err := root.Stat(name); err != nil || !fi.Mode().IsRegular() {
		http.Error(w, "not found", http.StatusNotFound)
		return false
	}
	f, err := root.Open(name)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.Error(w, "not found", http.StatusNotFound)
		return false
	}
	// A set is hundreds of megabytes: give it more than the server's
	// write timeout, which is sized for answers.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(setWriteTimeout))
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
	return true
}

// indexNameRE is a file name the installer takes from index.txt (a
// letter, then letters, digits, . _ -); the renderer refuses to list any
// other, so such a file in the mirror is served but not listed.
var indexNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,127}$`)

// mirrorFiles lists the regular files of RELEASE/ARCH in the sets mirror
// that index.txt can name.
func (s *Server) mirrorFiles(release, arch string) []string {
	if s.sets == nil || !releaseRE.MatchString(release) || !archRE.MatchString(arch) {
		return nil
	}
	entries, err := fs.ReadDir(s.sets.FS(), release+"/"+arch)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if !indexNameRE.MatchString(e.Name()) {
			continue
		}
		regular := e.Type().IsRegular()
		if e.Type()&fs.ModeSymlink != 0 {
			// A link that stays inside the mirror is served, so list it;
			// one that leaves it fails here as it would when fetched.
			fi, err := s.sets.Stat(release + "/" + arch + "/" + e.Name())
			regular = err == nil && fi.Mode().IsRegular()
		}
		if regular {
			names = append(names, e.Name())
		}
	}
	return names
}

// MissingSets says, per machine of the current site that takes its
// official sets from fugu, why its installer would find none here (no
// sets mirror at all, or none of its profile's release and arch: no
// base<NN>.tgz; such an install stops at the sets question), or that
// they would be installed unchecked (no SHA256.sig beside them). The
// status page and the start-up log show it. A machine whose sets.server
// is another server takes only its site set from fugu.
func (s *Server) MissingSets() map[string]string {
	out := map[string]string{}
	listed := map[string][]string{} // RELEASE/ARCH -> the mirror's files
	for _, m := range s.snap.Load().Site.Machines {
		if server := strings.TrimSuffix(m.Profile.Sets.Server, "/"); server != "" && !strings.EqualFold(server, s.cfg.ServerURL) {
			continue
		}
		rel, arch := m.Profile.Release, m.Profile.Arch
		base := "base" + profiles.SetVersion(rel) + ".tgz"
		dir := rel + "/" + arch
		if s.sets == nil {
			out[m.Name] = "no sets mirror (--sets): the installer finds only the site set here, not " + base
			continue
		}
		files, seen := listed[dir]
		if !seen {
			files = s.mirrorFiles(rel, arch)
			listed[dir] = files
		}
		switch {
		case !slices.Contains(files, base):
			out[m.Name] = "the sets mirror has no " + dir + "/" + base + ": the installer finds only the site set here"
		case !slices.Contains(files, "SHA256.sig"):
			out[m.Name] = "the sets mirror has no " + dir + "/SHA256.sig: the installer installs the sets from here unchecked (put the release's SHA256.sig beside them)"
		}
	}
	return out
}
