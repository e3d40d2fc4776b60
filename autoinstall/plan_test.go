package autoinstall

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"fugu/hardware"
	"fugu/profiles"
)

// gwMachine is the example mail gateway with profile changes applied.
func gwMachine(t *testing.T, edit func(p *profiles.Profile)) *profiles.Machine {
	t.Helper()
	m, _ := exampleMachine(t, "mx1")
	mc := *m
	if edit != nil {
		edit(&mc.Profile)
	}
	return &mc
}

func TestRootDiskAuto(t *testing.T) {
	const g = profiles.GiB
	tests := []struct {
		name  string
		disks []hardware.Disk
		want  string
	}{
		{"first SSD", []hardware.Disk{{Name: "sd0", SizeBytes: 2000 * g}, {Name: "sd1", SizeBytes: 500 * g, SSD: true}, {Name: "sd2", SizeBytes: 256 * g, SSD: true}}, "sd1"},
		{"largest without SSD", []hardware.Disk{{Name: "wd0", SizeBytes: 500 * g}, {Name: "wd1", SizeBytes: 2000 * g}}, "wd1"},
		{"USB stick is not chosen", []hardware.Disk{{Name: "sd0", SizeBytes: 500 * g}, {Name: "sd1", SizeBytes: 16 * g, SSD: true, USB: true}}, "sd0"},
		{"only USB disks", []hardware.Disk{{Name: "sd0", SizeBytes: 16 * g, USB: true}, {Name: "sd1", SizeBytes: 32 * g, USB: true}}, "sd1"},
		{"softraid volume by model", []hardware.Disk{{Name: "sd0", SizeBytes: 500 * g}, {Name: "sd1", SizeBytes: 900 * g, Model: "OPENBSD SR CRYPTO"}}, "sd0"},
		{"softraid volume that looks like an SSD", []hardware.Disk{{Name: "wd0", SizeBytes: 500 * g}, {Name: "sd1", SizeBytes: 400 * g, SSD: true, Model: "OPENBSD SR RAID 1"}}, "wd0"},
		{"softraid volume by its bus", []hardware.Disk{{Name: "sd0", SizeBytes: 500 * g}, {Name: "sd2", SizeBytes: 900 * g, Model: "X"}}, "sd0"},
		{"only a softraid volume: the installer's default", []hardware.Disk{{Name: "sd1", SizeBytes: 900 * g, Model: "OPENBSD SR CRYPTO"}}, ""},
	}
	devices := []hardware.Device{{Name: "softraid0", Parent: "root"}, {Name: "scsibus4", Parent: "softraid0"}, {Name: "sd2", Parent: "scsibus4"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(gwMachine(t, nil), &hardware.Facts{Disks: tt.disks, Devices: devices}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if p.RootDisk != tt.want {
				t.Errorf("root disk = %q, want %q", p.RootDisk, tt.want)
			}
		})
	}
	p, err := NewPlan(gwMachine(t, nil), nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p.RootDisk != "" {
		t.Errorf("without facts, root disk = %q, want the installer's default", p.RootDisk)
	}
}

func TestSwap(t *testing.T) {
	const g = profiles.GiB
	tests := []struct {
		swap    string
		memory  int64 // machines.yaml
		dmesg   int64 // facts
		want    string
		wantErr string
	}{
		{swap: "2x", memory: 32 * g, want: "64G"},
		{swap: "2x", dmesg: 16993136640, want: "32G"}, // real mem of a 16 GB laptop
		{swap: "1.5x", memory: 3 * g, want: "5G"},
		{swap: "0.5x", memory: 1 * g, want: "512M"},
		{swap: "16G", want: "16G"},
		{swap: "2x", memory: 8 * g, dmesg: 16 * g, want: "16G"}, // machines.yaml wins
		{swap: "2x", wantErr: "memory of machine mx1 is not known (set memory: in machines.yaml or give its dmesg)"},
		{swap: "2", wantErr: "disks.root.swap"},
	}
	for _, tt := range tests {
		m := gwMachine(t, func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Swap = tt.swap
			p.Disks = d
		})
		m.MemoryBytes = tt.memory
		var facts *hardware.Facts
		if tt.dmesg > 0 {
			facts = &hardware.Facts{MemoryBytes: tt.dmesg}
		}
		p, err := NewPlan(m, facts, testOptions())
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("swap %s: error %v, want one containing %q", tt.swap, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("swap %s: %v", tt.swap, err)
			continue
		}
		if len(p.Template) < 2 || p.Template[1].Mount != "swap" || p.Template[1].Size != tt.want {
			t.Errorf("swap %s (memory %d, dmesg %d): template %+v, want swap %s second", tt.swap, tt.memory, tt.dmesg, p.Template, tt.want)
		}
	}
}

// TestTemplateSlots: on a GPT root disk the kernel puts the EFI system
// partition into the label as i, which disklabel skips when it places a
// template's lines: 14 lines fit there, 15 on an MBR disk.
func TestTemplateSlots(t *testing.T) {
	layout := func(table string, n int) func(p *profiles.Profile) {
		return func(p *profiles.Profile) {
			ps := []profiles.Partition{{Mount: "/", Size: "1G"}}
			for i := range n - 3 {
				ps = append(ps, profiles.Partition{Mount: "/d" + string(rune('a'+i)), Size: "1G"})
			}
			ps = append(ps, profiles.Partition{Mount: "/home", Size: "rest"})
			d := p.Disks
			d.Root.Partitions, d.Root.Swap, d.Root.Table = ps, "4G", table
			p.Disks = d
		}
	}
	tests := []struct {
		table   string
		lines   int
		wantErr string
	}{
		{"gpt", 14, ""},
		{"gpt", 15, "15 partitions (disklabel has room for 14 next to the EFI system partition of a GPT disk)"},
		{"mbr", 15, ""},
		{"mbr", 16, "16 partitions (disklabel has at most 15)"},
	}
	for _, tt := range tests {
		p, err := NewPlan(gwMachine(t, layout(tt.table, tt.lines)), nil, testOptions())
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s, %d lines: %v", tt.table, tt.lines, err)
		case tt.wantErr == "" && len(p.Template) != tt.lines:
			t.Errorf("%s, %d lines: template has %d", tt.table, tt.lines, len(p.Template))
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s, %d lines: error %v, want %q", tt.table, tt.lines, err, tt.wantErr)
		}
	}
}

func TestTemplateRules(t *testing.T) {
	parts := func(ps ...profiles.Partition) func(p *profiles.Profile) {
		return func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Partitions, d.Root.Swap = ps, "4G"
			p.Disks = d
		}
	}
	pt := func(mount, size string) profiles.Partition { return profiles.Partition{Mount: mount, Size: size} }
	pct := func(mount, size string, n int) profiles.Partition {
		return profiles.Partition{Mount: mount, Size: size, Percent: &n}
	}
	many := []profiles.Partition{pt("/", "1G")}
	for i := range 14 {
		many = append(many, pt("/d"+string(rune('a'+i)), "1G"))
	}
	many = append(many, pt("/home", "rest"))
	tests := []struct {
		name, wantErr string
		edit          func(p *profiles.Profile)
	}{
		{"root first", "/ must come first", parts(pt("/usr", "2G"), pt("/", "rest"))},
		{"rest only last", "rest is only possible on the last", parts(pt("/", "1G"), pt("/usr", "rest"), pt("/home", "2G-*"))},
		{"percents", "add up to 120", parts(pct("/", "1G-2G", 60), pct("/home", "1G-*", 60))},
		{"too many", "at most 15", parts(many...)},
		{"twice", "/usr is given twice", parts(pt("/", "1G"), pt("/usr", "1G"), pt("/usr", "rest"))},
		{"no unit", "no unit", parts(pt("/", "1024"), pt("/home", "rest"))},
		{"swap twice", "swap is given both", parts(pt("/", "1G"), pt("swap", "2G"), pt("/home", "rest"))},
		{"* before the last", `disks.root.partitions[1].size: "*" gets no space`, parts(pt("/", "1G"), pt("/usr", "*"), pt("/home", "rest"))},
		{"* first", `disks.root.partitions[0].size: "*" gets no space`, parts(pt("/", "*"), pt("/home", "10G"))},
		{"0% before the last", `disks.root.partitions[1].size: "*" gets no space`, parts(pt("/", "1G"), pct("/usr", "*", 0), pt("/home", "rest"))},
		{"percents just over 100", "add up to 101", parts(pct("/", "1G-2G", 51), pct("/home", "1G-*", 50))},
		{"dot in a mount point", `disks.root.partitions[1].mount: "/data/.": . and .. are not mount points`, parts(pt("/", "1G"), pt("/data/.", "rest"))},
		{"swap third", "disks.root.partitions[2]: swap must come second", func(p *profiles.Profile) {
			d := p.Disks
			d.Root.Partitions, d.Root.Swap = []profiles.Partition{pt("/", "1G"), pt("/usr", "2G"), pt("swap", "2G"), pt("/home", "rest")}, ""
			p.Disks = d
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPlan(gwMachine(t, tt.edit), nil, testOptions())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}

	// / alone with disks.root.swap: swap is the greedy last line, capped
	// at its size, so / must take the extra space by its percent.
	for _, tt := range []struct{ root, want string }{
		{"rest", "/\t*\t100%\nswap\t4G\n"},
		{"2G-*", "/\t2G-*\t100%\nswap\t4G\n"},
	} {
		p, err := NewPlan(gwMachine(t, parts(pt("/", tt.root))), nil, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if got := string(renderTemplate(p.Template)); got != tt.want {
			t.Errorf("/ %s and swap 4G: template %q, want %q", tt.root, got, tt.want)
		}
	}

	// * before the last line takes its percent of the space left, and
	// the percents may add up to 100.
	if _, err := NewPlan(gwMachine(t, parts(pt("/", "1G"), pct("/usr", "*", 40), pct("/home", "rest", 60))), nil, testOptions()); err != nil {
		t.Errorf("* with a percent: %v", err)
	}
	// swap second, given in the partitions.
	if _, err := NewPlan(gwMachine(t, func(p *profiles.Profile) {
		d := p.Disks
		d.Root.Partitions, d.Root.Swap = []profiles.Partition{pt("/", "1G"), pt("swap", "2G"), pt("/home", "rest")}, ""
		p.Disks = d
	}), nil, testOptions()); err != nil {
		t.Errorf("swap second: %v", err)
	}

	// A last line with a maximum is valid (disklabel leaves the space
	// past it unallocated), but said.
	p, err := NewPlan(gwMachine(t, parts(pt("/", "1G"), pt("/home", "1G-300G"))), nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := string(renderTemplate(p.Template)); got != "/\t1G\nswap\t4G\n/home\t1G-300G\n" {
		t.Errorf("bounded last line: template %q", got)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, `disks.root.partitions[1].size: "1G-300G": the last partition takes the rest of the disk up to its maximum`) {
		t.Errorf("bounded last line: warnings %q", w)
	}

	// A disk too small for the minimums is refused when its size is known.
	m := gwMachine(t, parts(pt("/", "10G"), pt("/home", "20G-*")))
	_, err = NewPlan(m, &hardware.Facts{Disks: []hardware.Disk{{Name: "sd0", SizeBytes: 16 * profiles.GiB}}}, testOptions())
	if err == nil || !strings.Contains(err.Error(), "add up to 34G but sd0 has 16G") {
		t.Errorf("small disk: error %v", err)
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{profiles.GiB, "1G"}, {1536 * profiles.MiB, "1536M"}, {2 * profiles.TiB, "2T"}, {1000, "1K"}, {1025, "2K"}, {150 * profiles.MiB, "150M"},
	}
	for _, tt := range tests {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

func TestTemplateGrammar(t *testing.T) {
	// assert that: every rendered template obeys disklabel's -T grammar.
	for _, c := range installCases {
		_, f, _ := planCase(t, c)
		if f.DiskTemplate == nil {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(string(f.DiskTemplate), "\n"), "\n")
		if len(lines) > maxTemplateLines || !strings.HasPrefix(lines[0], "/\t") || !strings.HasPrefix(lines[1], "swap\t") {
			t.Errorf("%s: template starts wrong or is too long:\n%s", c.name, f.DiskTemplate)
		}
		sum := 0
		for _, l := range lines {
			f := strings.Fields(l)
			if l == "" || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || len(f) < 2 || len(f) > 3 {
				t.Errorf("%s: bad template line %q", c.name, l)
				continue
			}
			for _, sz := range strings.Split(f[1], "-") {
				if sz != "*" && !strings.ContainsAny(sz[len(sz)-1:], "KMGT") {
					t.Errorf("%s: size without a unit in %q", c.name, l)
				}
			}
			if len(f) == 3 {
				var n int
				if _, err := fmtSscan(strings.TrimSuffix(f[2], "%"), &n); err != nil || n < 0 || n > 100 {
					t.Errorf("%s: bad percent in %q", c.name, l)
				}
				sum += n
			}
		}
		if sum > 100 {
			t.Errorf("%s: percents add up to %d", c.name, sum)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	tests := []struct {
		opts Options
		ok   bool
	}{
		{Options{ServerURL: "http://192.0.2.10"}, true},
		{Options{ServerURL: "http://192.0.2.10:8080", PathPrefix: "fugu/"}, true},
		{Options{ServerURL: "http://192.0.2.10:65535"}, true},
		{Options{ServerURL: "http://[2001:db8::1]:8080"}, true},
		{Options{ServerURL: "http://192.0.2.10:99999"}, false},
		{Options{ServerURL: "http://192.0.2.10:0"}, false},
		{Options{ServerURL: "http://[2001:db8::1]:70000"}, false},
		{Options{ServerURL: "http://[2001:db8::1]", PathPrefix: "a/b/"}, true},
		{Options{ServerURL: "http://fugu.example.org/"}, false},
		{Options{ServerURL: "https://192.0.2.10"}, false},
		{Options{ServerURL: "192.0.2.10"}, false},
		{Options{ServerURL: ""}, false},
		{Options{ServerURL: "http://192.0.2.10", PathPrefix: "fugu"}, false},
		{Options{ServerURL: "http://192.0.2.10", PathPrefix: "../"}, false},
		{Options{ServerURL: "http://192.0.2.10", PathPrefix: "/fugu/"}, false},
		{Options{ServerURL: "http://192.0.2.10", MirrorFiles: []string{"base78.tgz", "../x"}}, false},
		{Options{ServerURL: "http://192.0.2.10", FirmwareURL: "http://192.0.2.10/fw dir/"}, false},
		{Options{ServerURL: "http://192.0.2.10:65536"}, false},
		{Options{ServerURL: "http://192.0.2.10", PathPrefix: "fugu/./"}, false},
		// install.site single-quotes the callback: a quote would end it.
		{Options{ServerURL: "http://192.0.2.10", InstallSiteCallback: "http://192.0.2.10/done?t='x"}, false},
		{Options{ServerURL: "http://192.0.2.10", FirstBootCallback: "http://192.0.2.10/done?t=0123abcd"}, true},
	}
	for _, tt := range tests {
		errs := tt.opts.check()
		if (len(errs) == 0) != tt.ok {
			t.Errorf("check(%+v) = %v, want ok=%v", tt.opts, errs, tt.ok)
		}
	}
}

// TestOptionsValidate: Validate reports every problem of the options at
// once, one line each, and nothing for good options.
func TestOptionsValidate(t *testing.T) {
	if err := (Options{ServerURL: "http://192.0.2.10", PathPrefix: "fugu/"}).Validate(); err != nil {
		t.Errorf("Validate(good) = %v, want nil", err)
	}
	err := Options{ServerURL: "192.0.2.10", PathPrefix: "../", FirmwareURL: "ftp://fw"}.Validate()
	if err == nil {
		t.Fatal("Validate(bad) = nil, want three problems")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"server URL: ", "path prefix ", "firmware URL: "}
	if len(lines) != len(want) {
		t.Fatalf("Validate(bad) = %q, want %d lines", err, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("Validate(bad) line %d = %q, want it to start with %q", i, lines[i], w)
		}
	}
}

// TestSetsServerIsFugu: a profile whose sets.server is fugu itself (as in
// PROFILE.md's example) uses fugu's own directory, with a warning about
// the directory it gave.
func TestSetsServerIsFugu(t *testing.T) {
	m := gwMachine(t, func(p *profiles.Profile) {
		p.Sets = profiles.Sets{Server: testServer, Directory: "pub/OpenBSD/7.8/amd64", Select: []string{"-game*"}}
	})
	p, err := NewPlan(m, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rounds) != 1 || p.Rounds[0].Directory != "fugu/sets/mx1/7.8/amd64" {
		t.Errorf("rounds = %+v, want one from fugu's directory", p.Rounds)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "sets.directory") {
		t.Errorf("warnings = %q, want one about sets.directory", p.Warnings)
	}
}

// TestSetsServerTrailingSlash: profiles accepts a set server with a final
// "/" (no path); the installer's "HTTP Server?" refuses the slash, so the
// answer is the server without it.
func TestSetsServerTrailingSlash(t *testing.T) {
	tests := []struct {
		server string
		want   []string // the HTTP Server answers, round by round
	}{
		{testMirror + "/", []string{testServer, testMirror}},
		{testServer + "/", []string{testServer}},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			m := gwMachine(t, func(p *profiles.Profile) {
				p.Sets = profiles.Sets{Server: tt.server, Directory: "pub/OpenBSD/7.8/amd64"}
			})
			p, err := NewPlan(m, nil, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range p.Rounds {
				got = append(got, r.Server)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("HTTP Server answers %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNameserversWithDHCP: nameservers next to a DHCP interface are
// answered but the installer skips the question when the lease offers
// servers; the plan says so.
func TestNameserversWithDHCP(t *testing.T) {
	for _, tt := range []struct {
		ipv4 string
		warn bool
	}{{"dhcp", true}, {"192.0.2.80/24", false}} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Network = profiles.Network{
				Interfaces:  []profiles.Interface{{Name: "em0", IPv4: tt.ipv4}},
				Gateway:     "192.0.2.1",
				Nameservers: []string{"192.0.2.53"},
			}
		})
		p, err := NewPlan(m, nil, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(strings.Join(p.Warnings, "\n"), "network.nameservers")
		if got != tt.warn {
			t.Errorf("ipv4 %s: nameserver warning %v, want %v (warnings %q)", tt.ipv4, got, tt.warn, p.Warnings)
		}
	}
}

// TestRequiredSets: a selection that leaves out bsd, bsd.mp (on a
// multi-CPU machine) or base is refused, since the installer's "Are you
// *SURE*" question then stops the install; the simulator agrees.
func TestRequiredSets(t *testing.T) {
	tests := []struct {
		sel     []string
		cpus    int
		wantErr string
	}{
		{sel: []string{"-game*", "-x*"}},
		{sel: []string{"-all", "+bsd*", "+base*"}},
		{sel: []string{"-bsd.mp"}, cpus: 1},
		{sel: []string{"-[!b]*"}, cpus: 2}, // ksh's negation: keeps bsd, bsd.mp and base78.tgz
		{sel: []string{"-base*"}, wantErr: "leaves out base78.tgz"},
		{sel: []string{"-all"}, wantErr: "leaves out bsd,"},
		{sel: []string{"-bsd*"}, wantErr: "leaves out bsd,"},
		{sel: []string{"-[!x]*"}, wantErr: "leaves out bsd,"},
		{sel: []string{"-bsd.mp"}, cpus: 4, wantErr: "leaves out bsd.mp"},
		{sel: []string{"-all", "+bsd", "+base78.tgz"}, cpus: 2, wantErr: "leaves out bsd.mp"},
	}
	for _, tt := range tests {
		m := gwMachine(t, func(p *profiles.Profile) { p.Sets.Select = tt.sel })
		facts := &hardware.Facts{CPUs: make([]hardware.CPU, tt.cpus)}
		p, err := NewPlan(m, facts, testOptions())
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("select %v: %v", tt.sel, err)
				continue
			}
			f, err := Render(p)
			if err != nil {
				t.Fatal(err)
			}
			if o := simulateInstall(f.InstallConf, serve(gatewayModel(), p, f)); o.Err != nil {
				t.Errorf("select %v: the install stopped: %v", tt.sel, o.Err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("select %v with %d CPUs: error %v, want one containing %q", tt.sel, tt.cpus, err, tt.wantErr)
		}
	}
}

// TestUnknownMachineTakesTheInstallersNetwork: a machine fugu knows
// nothing of (defaults.profile), with a profile that names no interface,
// gets no network answers: the installer configures the interface it
// netbooted on with autoconf, as it would by itself. A known machine
// with no dmesg still has to name one.
func TestUnknownMachineTakesTheInstallersNetwork(t *testing.T) {
	noIfs := func(p *profiles.Profile) { p.Network.Interfaces = nil }
	opts := testOptions()
	if _, err := NewPlan(gwMachine(t, noIfs), nil, opts); err == nil || !strings.Contains(err.Error(), "network.interfaces: none given") {
		t.Errorf("known machine without interfaces or dmesg: %v, want none given", err)
	}
	opts.Unknown = true
	p, err := NewPlan(gwMachine(t, noIfs), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(f.InstallConf, []byte("Network interface to configure")) || bytes.Contains(f.InstallConf, []byte("IPv4 address for")) {
		t.Errorf("install.conf answers the network questions:\n%s", f.InstallConf)
	}
	m := serve(gatewayModel(), p, f)
	m.DHCPRoute, m.DHCPDNS = true, true // a network that netboots machines
	o := simulateInstall(f.InstallConf, m)
	if o.Err != nil {
		t.Fatalf("the install stopped: %v", o.Err)
	}
	if len(o.Interfaces) != 1 || o.Interfaces[0].Name != gatewayModel().Ifaces[0].Name {
		t.Errorf("configured %+v, want the first interface alone", o.Interfaces)
	}
	// assert that: a lease without a router does not stop the install at
	// "Default IPv4 route?", which then has no default.
	m.DHCPRoute = false
	if o := simulateInstall(f.InstallConf, m); o.Err != nil {
		t.Errorf("with a lease without a router, the install stopped: %v", o.Err)
	}
}

// TestLoginThatIsAnAnswer: the installer reads "no" and "n" at "Setup a
// user?" as no user, and "yes" and "y" as a request to ask again, whose
// default is no; a user with such a login would silently not be created.
func TestLoginThatIsAnAnswer(t *testing.T) {
	for _, login := range []string{"no", "n", "yes", "y"} {
		t.Run(login, func(t *testing.T) {
			m, facts := exampleMachine(t, "delilah")
			mc := *m
			u := *mc.Profile.User
			u.Login = login
			mc.Profile.User = &u
			_, err := NewPlan(&mc, facts, testOptions())
			if err == nil || !strings.Contains(err.Error(), "user.login") {
				t.Errorf("NewPlan with user.login %q: %v, want an error naming user.login", login, err)
			}
		})
	}
}

// TestAutoLayoutChanged: when fugu has to change OpenBSD's own auto
// layout (a swap size, or /home on a second disk), it writes editor.c's
// table out as a template and does what disklabel does for its own
// layout: the big table's RAM scaling, and the choice of the big, medium
// or small table by the disk's size.
func TestAutoLayoutChanged(t *testing.T) {
	const m, g = profiles.MiB, profiles.GiB
	home := []profiles.ExtraDisk{{Device: "sd1", Partitions: []profiles.Partition{{Mount: "/home", Size: "rest"}}}}
	usr := []profiles.ExtraDisk{{Device: "sd1", Partitions: []profiles.Partition{{Mount: "/usr", Size: "rest"}}}}
	bigNoHome := "/\t150M-1G\t5%\nswap\t80M-8448M\t10%\n/tmp\t120M-4G\t8%\n/var\t80M-20G\t13%\n/usr\t1500M-30G\t10%\n/usr/X11R6\t384M-1G\t3%\n/usr/local\t1G-20G\t15%\n/usr/src\t2G-5G\t2%\n/usr/obj\t5G-6G\t4%\n"
	tests := []struct {
		name     string
		swap     string
		extra    []profiles.ExtraDisk
		memory   int64
		disk     int64 // size of sd0, the root disk; 0: not known
		table    string
		encrypt  bool
		want     string
		wantErr  string
		wantWarn string
	}{
		{name: "/home on a second disk", extra: home, memory: 8 * g, disk: 500 * g, want: bigNoHome,
			wantWarn: "with /home on another disk, OpenBSD's auto layout uses at most 96G of sd0's 500G and leaves about 404G unallocated"},
		{name: "/home on a second disk, root disk just big enough", extra: home, memory: 8 * g, disk: 100 * g, want: bigNoHome},
		{name: "disk size not known", extra: home, memory: 8 * g, want: bigNoHome, wantWarn: "installer stops with \"Autopartitioning failed\""},
		{name: "little memory gets twice its size as swap", extra: home, memory: 128 * m, disk: 500 * g, wantWarn: "unallocated",
			want: "/\t150M-1G\t5%\nswap\t256M\t10%\n/tmp\t120M-4G\t8%\n/var\t80M-4352M\t13%\n/usr\t1500M-30G\t10%\n/usr/X11R6\t384M-1G\t3%\n/usr/local\t1G-20G\t15%\n/usr/src\t2G-5G\t2%\n/usr/obj\t5G-6G\t4%\n"},
		{name: "swap on a medium disk", swap: "2G", disk: 8 * g,
			want: "/\t800M-2G\t5%\nswap\t2G\n/usr\t1300M-3G\t78%\n/home\t256M-2G\t7%\n"},
		{name: "swap on a small disk", swap: "2G", disk: 3 * g, want: "/\t700M-4G\t95%\nswap\t2G\n"},
		{name: "encrypted, the small disk keeps a second EFI partition", swap: "2G", disk: 3 * g, table: "gpt", encrypt: true,
			wantErr: "disks.root.swap: sd0 has 3G, too small for OpenBSD's smallest auto layout with these changes (it needs 3348M)"},
		{name: "encrypted with MBR", swap: "2G", disk: 3 * g, table: "mbr", encrypt: true, want: "/\t700M-4G\t95%\nswap\t2G\n"},
		{name: "medium disk without /home", extra: home, memory: 4 * g, disk: 8 * g,
			want: "/\t800M-2G\t5%\nswap\t80M-256M\t10%\n/usr\t1300M-3G\t78%\n"},
		{name: "swap too big for the disk", swap: "16G", disk: 8 * g, wantErr: "disks.root.swap: sd0 has 8G, too small for OpenBSD's smallest auto layout"},
		{name: "memory not known", extra: home, wantErr: "disks.root.swap: required when an extra disk takes over /home from OpenBSD's auto layout"},
		{name: "/usr on a second disk", extra: usr, memory: 8 * g, disk: 500 * g, wantErr: "OpenBSD's auto layout keeps /usr/X11R6 on the root disk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := gwMachine(t, func(p *profiles.Profile) {
				d := p.Disks
				d.Root = profiles.RootDisk{Device: "sd0", Swap: tt.swap, Table: tt.table}
				if tt.encrypt {
					d.Root.Encrypt = &profiles.Encryption{Passphrase: "correct horse battery staple"}
				}
				d.Extra = tt.extra
				p.Disks = d
			})
			mc.MemoryBytes = tt.memory
			var facts *hardware.Facts
			if tt.disk > 0 {
				facts = &hardware.Facts{Disks: []hardware.Disk{{Name: "sd0", SizeBytes: tt.disk}, {Name: "sd1", SizeBytes: 2000 * g}}}
			}
			p, err := NewPlan(mc, facts, testOptions())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := string(renderTemplate(p.Template)); got != tt.want {
				t.Errorf("template:\n%s\nwant:\n%s", got, tt.want)
			}
			warns := strings.Join(p.Warnings, "\n")
			if tt.wantWarn != "" && !strings.Contains(warns, tt.wantWarn) || tt.wantWarn == "" && strings.Contains(warns, "disks.root:") {
				t.Errorf("warnings %q, want %q", warns, tt.wantWarn)
			}
		})
	}
}

// TestDiskQuestionsOffAmd64: fugu knows amd64's MBR/GPT and encryption
// questions; elsewhere a table or encryption would be silently ignored,
// so they are refused.
func TestDiskQuestionsOffAmd64(t *testing.T) {
	for _, tt := range []struct {
		arch, table string
		encrypt     bool
		wantErr     string
	}{
		{arch: "amd64", table: "gpt", encrypt: true},
		{arch: "arm64"},
		{arch: "arm64", table: "gpt", wantErr: "disks.root.table: gpt: fugu answers only amd64's MBR/GPT question"},
		{arch: "i386", table: "mbr", wantErr: "disks.root.table"},
		{arch: "arm64", encrypt: true, wantErr: "disks.root.encrypt: fugu answers only amd64's encryption question"},
	} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Arch = tt.arch
			d := p.Disks
			d.Root.Table, d.Root.Encrypt = tt.table, nil
			if tt.encrypt {
				d.Root.Encrypt = &profiles.Encryption{Passphrase: "correct horse battery staple"}
			}
			p.Disks = d
		})
		_, err := NewPlan(m, nil, testOptions())
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s table %q encrypt %v: %v", tt.arch, tt.table, tt.encrypt, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s table %q encrypt %v: error %v, want %q", tt.arch, tt.table, tt.encrypt, err, tt.wantErr)
		}
	}
}

// TestExtraDiskMountOrder: mount -a mounts in /etc/fstab order, the root
// disk's partitions first, then the extra disks' as install.site appends
// them; a mount point listed after one that lies under it would hide it.
// And what the boot needs before mount -a stays on the root disk.
func TestExtraDiskMountOrder(t *testing.T) {
	pt := func(mount, size string) profiles.Partition { return profiles.Partition{Mount: mount, Size: size} }
	extra := func(dev string, ps ...profiles.Partition) profiles.ExtraDisk {
		return profiles.ExtraDisk{Device: dev, Partitions: ps}
	}
	tests := []struct {
		name    string
		root    []profiles.Partition
		extra   []profiles.ExtraDisk
		wantErr string
	}{
		{name: "under a root partition", root: []profiles.Partition{pt("/", "1G"), pt("/var/www", "10G"), pt("/home", "rest")},
			extra:   []profiles.ExtraDisk{extra("sd1", pt("/var", "rest"))},
			wantErr: "disks.extra[0].partitions[0].mount: /var would be mounted after /var/www, which lies under it, and hide it"},
		{name: "under an earlier line", extra: []profiles.ExtraDisk{extra("sd1", pt("/data/db", "10G"), pt("/data", "rest"))},
			wantErr: "disks.extra[0].partitions[1].mount: /data would be mounted after /data/db"},
		{name: "under an earlier disk", extra: []profiles.ExtraDisk{extra("sd1", pt("/data/db", "rest")), extra("sd2", pt("/data", "rest"))},
			wantErr: "disks.extra[1].partitions[0].mount: /data would be mounted after /data/db"},
		{name: "parent first", root: []profiles.Partition{pt("/", "1G"), pt("/var", "10G"), pt("/home", "rest")},
			extra: []profiles.ExtraDisk{extra("sd1", pt("/data", "10G"), pt("/var/www", "rest")), extra("sd2", pt("/data/db", "rest"))}},
		{name: "same prefix, not under", root: []profiles.Partition{pt("/", "1G"), pt("/database", "10G"), pt("/home", "rest")},
			extra: []profiles.ExtraDisk{extra("sd1", pt("/data", "rest"))}},
		{name: "/etc", extra: []profiles.ExtraDisk{extra("sd1", pt("/etc", "rest"))},
			wantErr: "disks.extra[0].partitions[0].mount: /etc belongs on the root file system"},
		{name: "under /dev", extra: []profiles.ExtraDisk{extra("sd1", pt("/data", "10G"), pt("/dev/x", "rest"))},
			wantErr: "disks.extra[0].partitions[1].mount: /dev/x belongs on the root file system"},
		{name: "/sbin", extra: []profiles.ExtraDisk{extra("sd1", pt("/sbin", "rest"))}, wantErr: "/sbin belongs on the root file system"},
		{name: "/bin", extra: []profiles.ExtraDisk{extra("sd1", pt("/bin", "rest"))}, wantErr: "/bin belongs on the root file system"},
		{name: "/binaries is not /bin", extra: []profiles.ExtraDisk{extra("sd1", pt("/binaries", "rest"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := gwMachine(t, func(p *profiles.Profile) {
				d := p.Disks
				d.Root = profiles.RootDisk{Device: "sd0", Swap: "4G", Partitions: tt.root}
				d.Extra = tt.extra
				p.Disks = d
			})
			_, err := NewPlan(mc, nil, testOptions())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestExtraDiskDevices: an extra disk is neither the root disk nor
// another extra disk (install.site would prepare it twice); swap may be
// on an extra disk besides the root disk's.
func TestExtraDiskDevices(t *testing.T) {
	pt := func(mount, size string) profiles.Partition { return profiles.Partition{Mount: mount, Size: size} }
	extra := func(dev string, ps ...profiles.Partition) profiles.ExtraDisk {
		return profiles.ExtraDisk{Device: dev, Partitions: ps}
	}
	tests := []struct {
		name    string
		extra   []profiles.ExtraDisk
		wantErr string
	}{
		{name: "the root disk", extra: []profiles.ExtraDisk{extra("sd0", pt("/data", "rest"))},
			wantErr: "disks.extra[0].device: sd0 is already the root disk or another extra disk"},
		{name: "a disk twice", extra: []profiles.ExtraDisk{extra("sd1", pt("/data", "rest")), extra("sd1", pt("/backup", "rest"))},
			wantErr: "disks.extra[1].device: sd1 is already the root disk or another extra disk"},
		{name: "swap on an extra disk too", extra: []profiles.ExtraDisk{extra("sd1", pt("swap", "8G"), pt("/data", "rest")), extra("sd2", pt("swap", "8G"), pt("/backup", "rest"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := gwMachine(t, func(p *profiles.Profile) {
				d := p.Disks
				d.Root = profiles.RootDisk{Device: "sd0", Swap: "4G"}
				d.Extra = tt.extra
				p.Disks = d
			})
			p, err := NewPlan(mc, nil, testOptions())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			case err == nil && !slices.ContainsFunc(p.Template, func(l TemplateLine) bool { return l.Mount == "swap" }):
				t.Errorf("the root disk has no swap: %v", p.Template)
			}
		})
	}
}

// TestGatewayOnAStaticNetwork: with static IPv4 addresses only, the
// installer adds the default route through the gateway, which fails for a
// gateway on none of their networks; it then asks again with no default.
func TestGatewayOnAStaticNetwork(t *testing.T) {
	tests := []struct {
		ifs     []profiles.Interface
		gateway string
		wantErr string
	}{
		{ifs: []profiles.Interface{{Name: "em0", IPv4: "192.0.2.5/24"}}, gateway: "192.0.2.1"},
		{ifs: []profiles.Interface{{Name: "em0", IPv4: "192.0.2.5/24"}}, gateway: "198.51.100.1",
			wantErr: "network.gateway: 198.51.100.1 is on none of the networks of the static ipv4 addresses (192.0.2.0/24)"},
		{ifs: []profiles.Interface{{Name: "em0", IPv4: "192.0.2.5/24"}, {Name: "em1", IPv4: "198.51.100.7/28"}}, gateway: "198.51.100.1"},
		// A DHCP interface's network is not known: its lease may hold it.
		{ifs: []profiles.Interface{{Name: "em0", IPv4: "192.0.2.5/24"}, {Name: "em1", IPv4: "dhcp"}}, gateway: "203.0.113.1"},
		// An isolated network has no default route (docs/profiles.md).
		{ifs: []profiles.Interface{{Name: "em0", IPv4: "192.0.2.5/24"}}, gateway: "none"},
		{ifs: []profiles.Interface{{Name: "em0", IPv4: "192.0.2.5/24"}}, gateway: "nowhere", wantErr: `network.gateway: "nowhere": expected an IPv4 address`},
	}
	for _, tt := range tests {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: tt.ifs, Gateway: tt.gateway}
		})
		p, err := NewPlan(m, nil, testOptions())
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("gateway %s: %v", tt.gateway, err)
		case tt.wantErr == "" && tt.gateway == "none":
			f, err := Render(p)
			if err != nil {
				t.Fatalf("gateway none: Render: %v", err)
			}
			if !strings.Contains(string(f.InstallConf), "Default IPv4 route = none\n") {
				t.Errorf("gateway none: install.conf lacks \"Default IPv4 route = none\":\n%s", f.InstallConf)
			}
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("gateway %s: error %v, want one containing %q", tt.gateway, err, tt.wantErr)
		}
	}
}

// TestLinkLocalGateway6: a link-local router is reached only through a
// named interface (fe80::1%em0), and a global one only on an attached
// network; otherwise the installer's route add fails and the install goes
// on with no IPv6 default route.
func TestLinkLocalGateway6(t *testing.T) {
	for gw, wantErr := range map[string]string{
		"2001:db8::1":   "",
		"fe80::1":       "network.gateway6: fe80::1 is link-local",
		"2001:db8:1::1": "network.gateway6: 2001:db8:1::1 is on none of the networks of the static ipv6 addresses (2001:db8::/64)",
	} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "em0", IPv4: "none", IPv6: "2001:db8::5/64"}}, Gateway6: gw}
		})
		_, err := NewPlan(m, nil, testOptions())
		switch {
		case wantErr == "" && err != nil:
			t.Errorf("gateway6 %s: %v", gw, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("gateway6 %s: error %v, want one containing %q", gw, err, wantErr)
		}
	}
}

// TestRootDiskReserveByBoot: a PC booted by its BIOS gets an MBR whose
// OpenBSD area starts at sector 64 (the installer's "Setting OpenBSD MBR
// partition to whole sd0", then a at offset 64); one booted by UEFI gets
// a 260M EFI partition first. A layout that fits only the former is
// written for the BIOS machine and refused for the EFI one.
func TestRootDiskReserveByBoot(t *testing.T) {
	const m = profiles.MiB
	for _, tt := range []struct {
		name    string
		devices []hardware.Device
		wantErr string
	}{
		{name: "BIOS"},
		{name: "UEFI", devices: []hardware.Device{{Name: "efi0"}}, wantErr: "disks.root.swap: sd0 has 2800M, too small"},
	} {
		mc := gwMachine(t, func(p *profiles.Profile) {
			d := p.Disks
			d.Root = profiles.RootDisk{Device: "sd0", Swap: "2G"}
			p.Disks = d
		})
		facts := &hardware.Facts{Disks: []hardware.Disk{{Name: "sd0", SizeBytes: 2800 * m}}, Devices: tt.devices}
		p, err := NewPlan(mc, facts, testOptions())
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr == "" && string(renderTemplate(p.Template)) != "/\t700M-4G\t95%\nswap\t2G\n":
			t.Errorf("%s: template\n%s", tt.name, renderTemplate(p.Template))
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}

// TestNoNameservers: with only static addresses and no nameservers the
// installer's "DNS nameservers?" takes its default none, and the new
// system resolves no name: pkg_add and fw_update at first boot fail. DHCP
// and IPv6 autoconf (RDNSS, through resolvd) bring their own servers.
func TestNoNameservers(t *testing.T) {
	for _, tt := range []struct {
		ipv4, ipv6 string
		ns         []string
		warn       bool
	}{
		{"192.0.2.80/24", "none", nil, true},
		{"192.0.2.80/24", "2001:db8::80/64", nil, true},
		{"192.0.2.80/24", "none", []string{"192.0.2.53"}, false},
		{"dhcp", "none", nil, false},
		{"192.0.2.80/24", "autoconf", nil, false},
	} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Network = profiles.Network{
				Interfaces:  []profiles.Interface{{Name: "em0", IPv4: tt.ipv4, IPv6: tt.ipv6}},
				Gateway:     "192.0.2.1",
				Nameservers: tt.ns,
			}
		})
		p, err := NewPlan(m, nil, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(strings.Join(p.Warnings, "\n"), "network.nameservers: none given")
		if got != tt.warn {
			t.Errorf("ipv4 %s, ipv6 %s, nameservers %v: warning %v, want %v (warnings %q)", tt.ipv4, tt.ipv6, tt.ns, got, tt.warn, p.Warnings)
		}
	}
}

// TestGatewayWithDHCP: netstart skips /etc/mygate's IPv4 route while an
// interface has inet autoconf, and the installer asks for the route only
// when the lease gives none: a gateway next to DHCP is never the
// machine's default route after the install; the plan says so.
func TestGatewayWithDHCP(t *testing.T) {
	for _, tt := range []struct {
		ifs  []profiles.Interface
		warn bool
	}{
		{[]profiles.Interface{{Name: "em0", IPv4: "dhcp"}}, true},
		{[]profiles.Interface{{Name: "em0", IPv4: "192.0.2.80/24"}, {Name: "em1", IPv4: "dhcp"}}, true},
		{[]profiles.Interface{{Name: "em0", IPv4: "192.0.2.80/24"}}, false},
	} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Network = profiles.Network{Interfaces: tt.ifs, Gateway: "192.0.2.1", Nameservers: []string{"192.0.2.53"}}
		})
		p, err := NewPlan(m, nil, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(strings.Join(p.Warnings, "\n"), "network.gateway: 192.0.2.1 is not the default route after the install")
		if got != tt.warn {
			t.Errorf("%v: gateway warning %v, want %v (warnings %q)", tt.ifs, got, tt.warn, p.Warnings)
		}
	}
}

// TestSwapUnknownMemoryWithPartitions: swap given as a multiple of memory
// the machine does not know is one problem, that one; the partitions are
// not also told that swap is required, which it is given.
func TestSwapUnknownMemoryWithPartitions(t *testing.T) {
	m := gwMachine(t, func(p *profiles.Profile) {
		d := p.Disks
		d.Root.Swap = "2x"
		d.Root.Partitions = []profiles.Partition{{Mount: "/", Size: "1G"}, {Mount: "/home", Size: "rest"}}
		p.Disks = d
	})
	m.MemoryBytes = 0
	_, err := NewPlan(m, nil, testOptions())
	if err == nil || !strings.Contains(err.Error(), "memory of machine mx1 is not known") {
		t.Fatalf("error %v, want one that the memory is not known", err)
	}
	if strings.Contains(err.Error(), "required with partitions") {
		t.Errorf("error %v: swap is given, want no \"required with partitions\"", err)
	}
}

// TestSetsServerSchemeCase: a URL's scheme is case-insensitive (RFC 3986
// 3.1), as profiles' check takes it; the plan answers "HTTP Server?" with
// it in lower case, and HTTP://FUGU is fugu itself.
func TestSetsServerSchemeCase(t *testing.T) {
	tests := []struct {
		server string
		want   []string // the HTTP Server answers, round by round
	}{
		{"HTTP://mirror.example.org", []string{testServer, testMirror}},
		{"Https://mirror.example.org/", []string{testServer, "https://mirror.example.org"}},
		{strings.ToUpper(testServer), []string{testServer}},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			m := gwMachine(t, func(p *profiles.Profile) {
				p.Sets = profiles.Sets{Server: tt.server, Directory: "pub/OpenBSD/7.8/amd64"}
			})
			p, err := NewPlan(m, nil, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range p.Rounds {
				got = append(got, r.Server)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("HTTP Server answers %q, want %q", got, tt.want)
			}
		})
	}
}

// TestServerURLProblemsHidePassword: a refused URL is quoted in its
// problem without the password of a user:password@ in it.
func TestServerURLProblemsHidePassword(t *testing.T) {
	for _, s := range []string{"http://bob:s3cr3t@host", "ftp://bob:s3cr3t@host", "http://bob:s3cr3t@host:99999"} {
		err := checkServerURL(s, "http", "https")
		if err == nil {
			t.Fatalf("checkServerURL(%q) = nil, want a problem", s)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("checkServerURL(%q) = %v shows the password", s, err)
		}
	}
	opts := testOptions()
	opts.FirmwareURL = "gopher://bob:s3cr3t@host/fw"
	for _, err := range opts.check() {
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("firmware URL problem %v shows the password", err)
		}
	}
}

// TestAllowUnsignedWithoutServer: sets.allow_unsigned speaks of another
// server's directory; with fugu's own it does nothing, and says so.
func TestAllowUnsignedWithoutServer(t *testing.T) {
	for _, server := range []string{"", testServer} {
		m := gwMachine(t, func(p *profiles.Profile) {
			p.Sets = profiles.Sets{Server: server, AllowUnsigned: true}
		})
		p, err := NewPlan(m, nil, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "sets.allow_unsigned: is not used") {
			t.Errorf("server %q: warnings %q, want one that sets.allow_unsigned is not used", server, p.Warnings)
		}
	}
}

// TestRootLoginDefault: without sshd.root_login, root may not log in
// over ssh (the installer's own default, which fugu answers).
func TestRootLoginDefault(t *testing.T) {
	_, f, _ := planCase(t, installCase{base: "mx1", edit: func(p *profiles.Profile) { p.SSHD.RootLogin = "" }})
	if ic := string(f.InstallConf); !strings.Contains(ic, "\nAllow root ssh login = no\n") {
		t.Errorf("install.conf does not answer no to root login:\n%s", ic)
	}
}

// TestWirelessInDmesgNeedsNetworks: an interface the dmesg shows as
// wireless makes the installer ask for an access point, which a profile
// without wireless.networks cannot answer.
func TestWirelessInDmesgNeedsNetworks(t *testing.T) {
	m, facts := exampleMachine(t, "probook")
	if facts == nil {
		t.Fatal("the example probook has no dmesg")
	}
	mc := *m
	mc.Profile.Network = profiles.Network{Interfaces: []profiles.Interface{{Name: "re0"}, {Name: "iwx0"}}}
	_, err := NewPlan(&mc, facts, testOptions())
	if want := "network.interfaces[1].wireless: iwx0 is a wireless interface in the dmesg"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("NewPlan: %v, want %q", err, want)
	}
}

// TestSystemDefaultsAndArch: without a timezone the answer is UTC (an
// offline install asks it with no default), and a dmesg of another
// architecture than the profile's is said.
func TestSystemDefaultsAndArch(t *testing.T) {
	_, f, _ := planCase(t, installCase{base: "mx1", edit: func(p *profiles.Profile) { p.System.Timezone = "" }})
	if ic := string(f.InstallConf); !strings.Contains(ic, "\nWhat timezone are you in = UTC\n") {
		t.Errorf("install.conf does not answer UTC:\n%s", ic)
	}
	p, err := NewPlan(gwMachine(t, nil), &hardware.Facts{Arch: "arm64"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "arch: amd64, but the machine's dmesg is of arm64") {
		t.Errorf("warnings %q", w)
	}
}
