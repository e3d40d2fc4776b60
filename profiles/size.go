package profiles

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Size units are powers of 1024, as in disklabel(8) templates.
const (
	KiB int64 = 1 << 10
	MiB int64 = 1 << 20
	GiB int64 = 1 << 30
	TiB int64 = 1 << 40
)

// maxSize bounds sizes so that arithmetic on them cannot overflow: no disk
// fugu lays out is anywhere near 1024 TiB.
const maxSize = 1024 * TiB

// ParseSize parses a size such as 512M, 4G or 1.5T (K, M, G, T in either
// case; powers of 1024) into bytes. The unit is required, as disklabel
// requires it, and the size must be more than zero.
func ParseSize(s string) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty size (expected a number and a unit, like 512M, 4G or 1.5T)")
	}
	unit, ok := unitOf(s[len(s)-1])
	if !ok {
		// 16GB, 512MiB: a unit, in a form disklabel does not take.
		for _, suffix := range []string{"iB", "ib", "B", "b", "i"} {
			t, cut := strings.CutSuffix(s, suffix)
			if !cut || t == "" {
				continue
			}
			// t ends in a unit, so this call does not come back here.
			if _, isUnit := unitOf(t[len(t)-1]); isUnit {
				if _, err := ParseSize(t); err == nil {
					return 0, fmt.Errorf("size %q has a unit fugu does not read (expected %s: one letter, K, M, G or T, powers of 1024 as in disklabel)", s, t)
				}
			}
		}
		return 0, fmt.Errorf("size %q has no unit (expected K, M, G or T, like 512M or 4G)", s)
	}
	num := s[:len(s)-1]
	if !decimal(num) {
		return 0, fmt.Errorf("size %q is not a number and a unit (expected like 512M, 4G or 1.5T)", s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("size %q is not a number and a unit (expected like 512M, 4G or 1.5T)", s)
	}
	b := f * float64(unit)
	if b >= float64(maxSize) {
		return 0, fmt.Errorf("size %q is too large (expected at most 1023T)", s)
	}
	if int64(b) <= 0 {
		return 0, fmt.Errorf("size %q must be more than zero", s)
	}
	return int64(b), nil
}

// decimal reports whether s is a plain decimal number: digits, and at
// most one point with digits on both sides (1.5, not .5, 5., 1e3 or the
// hexadecimal 0x1p4 strconv.ParseFloat also reads).
func decimal(s string) bool {
	whole, frac, dot := strings.Cut(s, ".")
	return digits(whole) && (!dot || digits(frac))
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func unitOf(c byte) (int64, bool) {
	switch c {
	case 'k', 'K':
		return KiB, true
	case 'm', 'M':
		return MiB, true
	case 'g', 'G':
		return GiB, true
	case 't', 'T':
		return TiB, true
	}
	return 0, false
}

// ParseSwap parses a swap size: either a size (16G), returned as bytes,
// or a multiple of physical memory (2x, 1.5x), returned as multiple.
// Exactly one of the two results is non-zero on success.
func ParseSwap(s string) (bytes int64, multiple float64, err error) {
	if m, ok := strings.CutSuffix(s, "x"); ok {
		f, perr := strconv.ParseFloat(m, 64)
		if perr != nil || !decimal(m) || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, 0, fmt.Errorf("swap %q is not a multiple of memory (expected like 1x, 1.5x or 2x)", s)
		}
		if f <= 0 || f > 16 {
			return 0, 0, fmt.Errorf("swap %q: multiple must be more than 0 and at most 16", s)
		}
		return 0, f, nil
	}
	b, err := ParseSize(s)
	if err != nil {
		return 0, 0, fmt.Errorf("%w (or a multiple of memory like 2x)", err)
	}
	return b, 0, nil
}

// PartSize is a partition size of a disklabel template line.
type PartSize struct {
	Min, Max  int64 // bytes; Max is meaningless when Unbounded
	Unbounded bool  // no upper limit (MIN-* or rest)
	Rest      bool  // "rest": whatever is left; only valid on the last line
}

// ParsePartitionSize parses a partition size: 1G (fixed), 4G-32G (a
// range), 2G-* (at least 2G), * (anything) or rest (what is left, min 0).
// As in disklabel, a range whose MIN has no unit takes MAX's unit (1-4G).
func ParsePartitionSize(s string) (PartSize, error) {
	switch s {
	case "rest":
		return PartSize{Unbounded: true, Rest: true}, nil
	case "*":
		return PartSize{Unbounded: true}, nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		n, err := ParseSize(s)
		if err != nil {
			return PartSize{}, err
		}
		return PartSize{Min: n, Max: n}, nil
	}
	if hi == "*" {
		n, err := ParseSize(lo)
		if err != nil {
			return PartSize{}, fmt.Errorf("range %q: minimum: %w", s, err)
		}
		return PartSize{Min: n, Unbounded: true}, nil
	}
	maxB, err := ParseSize(hi)
	if err != nil {
		return PartSize{}, fmt.Errorf("range %q: maximum: %w", s, err)
	}
	if lo != "" {
		if _, ok := unitOf(lo[len(lo)-1]); !ok {
			lo += hi[len(hi)-1:]
		}
	}
	minB, err := ParseSize(lo)
	if err != nil {
		return PartSize{}, fmt.Errorf("range %q: minimum: %w", s, err)
	}
	if minB > maxB {
		return PartSize{}, fmt.Errorf("range %q: minimum is larger than maximum", s)
	}
	return PartSize{Min: minB, Max: maxB}, nil
}
