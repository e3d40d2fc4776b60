package profiles

import (
	"fmt"
	"path"
	"regexp"
)

// finding is a problem relative to the value a checker was given: Path is
// appended to the caller's key path.
type finding struct {
	Path    string
	Message string
}

var diskRE = regexp.MustCompile(`^(sd|wd)[0-9]{1,3}$`)

// checkDisk accepts a disk name (sd0, wd1); auto only where allowed.
func checkDisk(s string, allowAuto bool) error {
	if allowAuto && s == "auto" {
		return nil
	}
	if !diskRE.MatchString(s) {
		if allowAuto {
			return fmt.Errorf("%q is not a disk (expected auto, or a disk name like sd0 or wd0)", s)
		}
		return fmt.Errorf("%q is not a disk (expected a disk name like sd0 or wd0)", s)
	}
	return nil
}

// checkTable accepts gpt or mbr.
func checkTable(s string) error {
	if s != "gpt" && s != "mbr" {
		return fmt.Errorf("%q is not a partition table (expected gpt or mbr)", s)
	}
	return nil
}

var mountRE = regexp.MustCompile(`^/[A-Za-z0-9._/-]*$`)

// checkMount accepts swap or an absolute, clean path made of characters
// that need no quoting in a disklabel template, fstab or shell script.
func checkMount(s string) error {
	if s == "swap" {
		return nil
	}
	if !mountRE.MatchString(s) {
		return fmt.Errorf("%q is not a mount point (expected swap, or an absolute path of letters, digits, . _ - and /)", s)
	}
	if path.Clean(s) != s {
		return fmt.Errorf("%q is not a clean path (expected %s: no .., no // and no trailing /)", s, path.Clean(s))
	}
	return nil
}

// maxPartitions is disklabel's limit: a to p without c.
const maxPartitions = 15

// checkPartitions checks a disklabel template as a list: each line's
// mount point and size, the percents, and the rules of the template
// grammar (at most 15 lines, rest only last, / first on the root disk,
// swap second). seen collects mount points across disks.
func checkPartitions(parts []Partition, rootDisk bool, seen map[string]bool) []finding {
	var fs []finding
	add := func(p, format string, args ...any) { fs = append(fs, finding{p, fmt.Sprintf(format, args...)}) }
	if len(parts) > maxPartitions {
		add("", "%d partitions; disklabel has room for at most %d", len(parts), maxPartitions)
	}
	sum := 0
	swaps := 0
	for i, pt := range parts {
		at := pathIndex("", i)
		if err := checkMount(pt.Mount); err != nil {
			add(at+".mount", "%v", err)
		} else {
			switch {
			case pt.Mount == "swap":
				swaps++
				if swaps > 1 {
					add(at+".mount", "swap is given twice (expected at most one swap partition)")
				} else if rootDisk && i != 1 {
					add(at+".mount", "swap must be the second partition (the installer uses partition b as swap)")
				}
			case seen[pt.Mount]:
				add(at+".mount", "mount point %s is given twice (expected each mount point once, across all disks)", pt.Mount)
			default:
				seen[pt.Mount] = true
			}
			if rootDisk && i == 0 && pt.Mount != "/" {
				add(at+".mount", "the first partition of the root disk must be / (found %s)", pt.Mount)
			}
			if !rootDisk && pt.Mount == "/" {
				add(at+".mount", "/ belongs on the root disk (expected another mount point on an extra disk)")
			}
		}
		size, err := ParsePartitionSize(pt.Size)
		if err != nil {
			add(at+".size", "%v (or a range like 4G-32G, 2G-*, or rest)", err)
		} else if size.Rest && i != len(parts)-1 {
			add(at+".size", "rest is only allowed on the last partition (it takes what is left)")
		}
		if pt.Percent != nil {
			if *pt.Percent < 0 || *pt.Percent > 100 {
				add(at+".percent", "%d is not a percentage (expected 0 to 100)", *pt.Percent)
			} else {
				sum += *pt.Percent
			}
		}
	}
	if sum > 100 {
		add("", "percents add up to %d (expected at most 100 in all)", sum)
	}
	return fs
}
