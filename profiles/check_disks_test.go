package profiles

import (
	"strings"
	"testing"
)

func pct(n int) *int { return &n }

func TestCheckPartitions(t *testing.T) {
	many := make([]Partition, 16)
	many[0] = Partition{Mount: "/", Size: "1G"}
	for i := 1; i < 16; i++ {
		many[i] = Partition{Mount: "/p" + strings.Repeat("x", i), Size: "1G"}
	}
	for _, c := range []struct {
		name  string
		parts []Partition
		root  bool
		want  []string // substrings of the findings, in order; nil = none
	}{
		{"auto-like", []Partition{{Mount: "/", Size: "1G"}, {Mount: "swap", Size: "2G"}, {Mount: "/tmp", Size: "4G-32G", Percent: pct(8)}, {Mount: "/home", Size: "rest"}}, true, nil},
		{"root not first", []Partition{{Mount: "/home", Size: "1G"}, {Mount: "/", Size: "1G"}}, true, []string{"[0].mount: the first partition of the root disk must be /"}},
		{"duplicate mount", []Partition{{Mount: "/", Size: "1G"}, {Mount: "/var", Size: "1G"}, {Mount: "/var", Size: "1G"}}, true, []string{"[2].mount: mount point /var is given twice"}},
		{"rest not last", []Partition{{Mount: "/", Size: "rest"}, {Mount: "/var", Size: "1G"}}, true, []string{"[0].size: rest is only allowed on the last"}},
		{"bad size", []Partition{{Mount: "/", Size: "1"}}, true, []string{"[0].size: size \"1\" has no unit"}},
		{"percent range", []Partition{{Mount: "/", Size: "1G", Percent: pct(101)}}, true, []string{"[0].percent: 101 is not a percentage"}},
		{"percent sum", []Partition{{Mount: "/", Size: "1G", Percent: pct(60)}, {Mount: "/var", Size: "1G", Percent: pct(50)}}, true, []string{": percents add up to 110"}},
		{"swap third", []Partition{{Mount: "/", Size: "1G"}, {Mount: "/var", Size: "1G"}, {Mount: "swap", Size: "1G"}}, true, []string{"[2].mount: swap must be the second"}},
		{"two swaps", []Partition{{Mount: "/", Size: "1G"}, {Mount: "swap", Size: "1G"}, {Mount: "swap", Size: "1G"}}, true, []string{"[2].mount: swap is given twice"}},
		{"bad mount", []Partition{{Mount: "/", Size: "1G"}, {Mount: "/a b", Size: "1G"}}, true, []string{"[1].mount: \"/a b\" is not a mount point"}},
		{"too many", many, true, []string{": 16 partitions"}},
		{"extra disk", []Partition{{Mount: "/home", Size: "rest"}}, false, nil},
		{"root on extra", []Partition{{Mount: "/", Size: "rest"}}, false, []string{"[0].mount: / belongs on the root disk"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := checkPartitions(c.parts, c.root, map[string]bool{})
			if len(got) != len(c.want) {
				t.Fatalf("checkPartitions = %v, want %d findings %v", got, len(c.want), c.want)
			}
			for i, f := range got {
				if s := f.Path + ": " + f.Message; !strings.Contains(s, c.want[i]) {
					t.Errorf("finding %d = %q, want it to contain %q", i, s, c.want[i])
				}
			}
		})
	}
}
