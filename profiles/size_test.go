package profiles

import "testing"

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"512M", 512 * MiB, true}, {"4G", 4 * GiB, true}, {"1.5T", 3 * TiB / 2, true},
		{"64k", 64 * KiB, true}, {"4g", 4 * GiB, true}, {"0.5G", GiB / 2, true},
		{"", 0, false}, {"4", 0, false}, {"G", 0, false}, {"4GB", 0, false}, {"0G", 0, false},
		{"-1G", 0, false}, {"1e3G", 0, false}, {"4 G", 0, false}, {".5G", 0, false}, {"5.G", 0, false},
		{"2048T", 0, false}, {"NaNG", 0, false}, {"InfG", 0, false}, {"16Q", 0, false},
		// Go reads hexadecimal floats; a size is decimal.
		{"0x1p1G", 0, false}, {"0X1.8P4g", 0, false}, {"1.5.1G", 0, false},
	} {
		got, err := ParseSize(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v, want %d, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestParseSwap(t *testing.T) {
	for _, c := range []struct {
		in    string
		bytes int64
		mult  float64
		ok    bool
	}{
		{"16G", 16 * GiB, 0, true}, {"2x", 0, 2, true}, {"1.5x", 0, 1.5, true}, {"1x", 0, 1, true},
		{"x", 0, 0, false}, {"0x", 0, 0, false}, {"-2x", 0, 0, false}, {"17x", 0, 0, false},
		{"2X", 0, 0, false}, {"16", 0, 0, false}, {"", 0, 0, false}, {"twox", 0, 0, false},
		{"0x1p1x", 0, 0, false}, {"01.5x", 0, 1.5, true},
	} {
		b, m, err := ParseSwap(c.in)
		if (err == nil) != c.ok || b != c.bytes || m != c.mult {
			t.Errorf("ParseSwap(%q) = %d, %g, %v, want %d, %g, ok=%v", c.in, b, m, err, c.bytes, c.mult, c.ok)
		}
	}
}

func TestParsePartitionSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want PartSize
		ok   bool
	}{
		{"1G", PartSize{Min: GiB, Max: GiB}, true},
		{"4G-32G", PartSize{Min: 4 * GiB, Max: 32 * GiB}, true},
		{"1-4G", PartSize{Min: GiB, Max: 4 * GiB}, true},
		{"512M-2G", PartSize{Min: 512 * MiB, Max: 2 * GiB}, true},
		{"2G-*", PartSize{Min: 2 * GiB, Unbounded: true}, true},
		{"*", PartSize{Unbounded: true}, true},
		{"rest", PartSize{Unbounded: true, Rest: true}, true},
		{"4G-1G", PartSize{}, false}, {"4G-", PartSize{}, false}, {"-4G", PartSize{}, false},
		{"1G-2G-3G", PartSize{}, false}, {"*-4G", PartSize{}, false}, {"rest-4G", PartSize{}, false},
		{"REST", PartSize{}, false}, {"10%", PartSize{}, false}, {"", PartSize{}, false},
	} {
		got, err := ParsePartitionSize(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParsePartitionSize(%q) = %+v, %v, want %+v, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestNormalizeMAC(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"80:fa:5b:01:02:03", "80:fa:5b:01:02:03"},
		{"80:FA:5B:01:02:03", "80:fa:5b:01:02:03"},
		{"80-fa-5b-01-02-03", "80:fa:5b:01:02:03"},
		{"80:fa:5b:1:2:3", ""}, {"80:fa:5b:01:02", ""}, {"80:fa:5b:01:02:03:04", ""},
		{"80fa.5b01.0203", ""}, {"80:fa:5b:01:02:0g", ""}, {"80::fa:5b:01:02", ""}, {"", ""},
		{"80:fa-5b:01:02:03", "80:fa:5b:01:02:03"},
	} {
		got, err := NormalizeMAC(c.in)
		if got != c.want || (err == nil) != (c.want != "") {
			t.Errorf("NormalizeMAC(%q) = %q, %v, want %q", c.in, got, err, c.want)
		}
	}
}

// TestParseSizeUnitMessage: 16GB has a unit, just not one fugu reads; the
// message says which to write instead of calling it unitless.
func TestParseSizeUnitMessage(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"16GB", `size "16GB" has a unit fugu does not read (expected 16G: one letter, K, M, G or T, powers of 1024 as in disklabel)`},
		{"512MiB", `size "512MiB" has a unit fugu does not read (expected 512M: one letter, K, M, G or T, powers of 1024 as in disklabel)`},
		{"1.5Tb", `size "1.5Tb" has a unit fugu does not read (expected 1.5T: one letter, K, M, G or T, powers of 1024 as in disklabel)`},
		{"16Q", `size "16Q" has no unit (expected K, M, G or T, like 512M or 4G)`},
		{"16", `size "16" has no unit (expected K, M, G or T, like 512M or 4G)`},
	} {
		_, err := ParseSize(c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("ParseSize(%q) = %v, want %s", c.in, err, c.want)
		}
	}
}
